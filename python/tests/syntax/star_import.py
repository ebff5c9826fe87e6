# SyntaxError: 'from ... import *' is not supported
from asyncio import *
