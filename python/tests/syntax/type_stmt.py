# SyntaxError: the 'type' statement is not supported
type Point = tuple[int, int]
