# SyntaxError: expected ':'
if True
    pass
