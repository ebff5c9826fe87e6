//! The syntax tree the parser builds and the interpreter walks.
//!
//! Expressions and statements are plain enums behind `Box`/`Vec`; a function's body is shared
//! (`Rc`) by every call of it. Each statement carries its line (for tracebacks) and a `suspends`
//! flag, set by the parser when the statement contains an `await` or `yield` outside nested
//! functions: only those statements are run by the asynchronous evaluator.

use std::rc::Rc;

/// A binary or augmented-assignment operator.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    BitAnd,
    BitOr,
    BitXor,
    MatMul,
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
    Is,
    IsNot,
}

/// A unary operator.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum UnOp {
    Neg,
    Pos,
    Not,
    Invert,
}

/// One piece of an f-string.
#[derive(Debug)]
pub enum FPart {
    Lit(Rc<str>),
    /// expression, conversion (`r`, `s`, `a` or none), format spec (itself an f-string).
    Expr(Expr, Option<char>, Option<Vec<FPart>>, Option<Rc<str>>),
}

/// A call argument.
#[derive(Debug)]
pub enum Arg {
    Pos(Expr),
    Star(Expr),
    Kw(Rc<str>, Expr),
    StarStar(Expr),
}

/// One `for ... in ... if ...` clause of a comprehension.
#[derive(Debug)]
pub struct CompFor {
    pub target: Expr,
    pub iter: Expr,
    pub ifs: Vec<Expr>,
    pub is_async: bool,
}

/// The kind of comprehension.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CompKind {
    List,
    Set,
    Dict,
    Gen,
}

/// An expression.
#[derive(Debug)]
pub enum Expr {
    Name(Rc<str>),
    Const(Const),
    FStr(Vec<FPart>),
    Attr(Box<Expr>, Rc<str>),
    Sub(Box<Expr>, Box<Expr>),
    Slice(Option<Box<Expr>>, Option<Box<Expr>>, Option<Box<Expr>>),
    Call(Box<Expr>, Vec<Arg>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
    Un(UnOp, Box<Expr>),
    Cmp(Box<Expr>, Vec<(CmpOp, Expr)>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    IfExp(Box<Expr>, Box<Expr>, Box<Expr>),
    List(Vec<Expr>),
    Tuple(Vec<Expr>),
    Set(Vec<Expr>),
    /// `None` key: `**mapping`.
    Dict(Vec<(Option<Expr>, Expr)>),
    /// kind, element (shared: a generator expression's lazy body keeps it), value (dicts), clauses.
    Comp(CompKind, Rc<Expr>, Option<Box<Expr>>, Rc<Vec<CompFor>>),
    Lambda(Rc<FuncDef>),
    Await(Box<Expr>),
    Yield(Option<Box<Expr>>),
    YieldFrom(Box<Expr>),
    Starred(Box<Expr>),
    Walrus(Rc<str>, Box<Expr>),
}

/// A literal.
#[derive(Debug, Clone)]
pub enum Const {
    None,
    True,
    False,
    Ellipsis,
    Int(i64),
    BigInt(Rc<str>),
    Float(f64),
    Str(Rc<str>),
    Bytes(Rc<[u8]>),
}

/// A parameter list.
#[derive(Debug, Default)]
pub struct Params {
    pub pos: Vec<(Rc<str>, Option<Expr>)>,
    pub posonly: usize,
    pub star: Option<Rc<str>>,
    pub kwonly: Vec<(Rc<str>, Option<Expr>)>,
    pub starstar: Option<Rc<str>>,
}

/// A `def`, `async def` or `lambda`.
#[derive(Debug)]
pub struct FuncDef {
    pub name: Rc<str>,
    pub params: Params,
    pub body: Vec<Stmt>,
    pub decorators: Vec<Expr>,
    pub is_async: bool,
    pub is_generator: bool,
    pub globals: Vec<Rc<str>>,
    pub nonlocals: Vec<Rc<str>>,
    pub line: u32,
}

/// An `except` clause.
#[derive(Debug)]
pub struct Handler {
    pub typ: Option<Expr>,
    pub name: Option<Rc<str>>,
    pub body: Vec<Stmt>,
}

/// A statement with its line.
#[derive(Debug)]
pub struct Stmt {
    pub kind: S,
    pub line: u32,
    pub suspends: bool,
}

/// Statement kinds.
#[derive(Debug)]
pub enum S {
    Expr(Expr),
    Assign(Vec<Expr>, Expr),
    AugAssign(Expr, BinOp, Expr),
    AnnAssign(Expr, Option<Expr>),
    Pass,
    Break,
    Continue,
    Return(Option<Expr>),
    Raise(Option<Expr>, Option<Expr>),
    /// `global` (the names are in the function's [`FuncDef::globals`]).
    Global,
    /// `nonlocal` (the names are in the function's [`FuncDef::nonlocals`]).
    Nonlocal,
    Del(Vec<Expr>),
    Assert(Expr, Option<Expr>),
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    While(Expr, Vec<Stmt>, Vec<Stmt>),
    For(Expr, Expr, Vec<Stmt>, Vec<Stmt>, bool),
    Try(Vec<Stmt>, Vec<Handler>, Vec<Stmt>, Vec<Stmt>, bool),
    With(Vec<(Expr, Option<Expr>)>, Vec<Stmt>, bool),
    Def(Rc<FuncDef>),
    Class(Rc<ClassDef>),
    Import(Vec<ImportItem>),
    ImportFrom(Vec<Rc<str>>, Vec<(Rc<str>, Option<Rc<str>>)>),
}

/// One `import a.b as c` item: the dotted path and the alias.
pub type ImportItem = (Vec<Rc<str>>, Option<Rc<str>>);

/// A `class` statement.
#[derive(Debug)]
pub struct ClassDef {
    pub name: Rc<str>,
    pub bases: Vec<Arg>,
    pub body: Vec<Stmt>,
    pub decorators: Vec<Expr>,
}
