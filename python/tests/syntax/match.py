# SyntaxError: the 'match' statement is not supported
x = 1
match x:
    case 1:
        pass
