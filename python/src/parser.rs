//! The parser: tokens to [`ast`](crate::ast) by recursive descent, one function per grammar level
//! (statements, then expressions from `lambda`/ternary down to atoms).
//!
//! State: the token list and a cursor, plus three flags per function being parsed (`in_async`,
//! whether an `await`/`yield` was seen in the current statement, whether a `yield` was seen in the
//! current function), saved and restored around nested functions and lambdas. Constructs outside
//! the supported subset are a [`SyntaxErr`] naming the construct and its line.

use std::rc::Rc;

use crate::ast::*;
use crate::lexer::{tokenize, unescape, Tok, T};

/// A syntax error: message and line.
#[derive(Debug, Clone)]
pub struct SyntaxErr {
    pub msg: String,
    pub line: u32,
}

type R<T> = Result<T, SyntaxErr>;

struct P {
    toks: Vec<Tok>,
    pos: usize,
    in_async: bool,
    in_func: bool,
    susp: bool,
    saw_yield: bool,
    globals: Vec<Rc<str>>,
    nonlocals: Vec<Rc<str>>,
}

/// Parses a module into its statements.
pub fn parse_module(src: &str) -> R<Vec<Stmt>> {
    let toks = tokenize(src).map_err(|e| SyntaxErr {
        msg: e.0,
        line: e.1,
    })?;
    let mut p = P {
        toks,
        pos: 0,
        in_async: false,
        in_func: false,
        susp: false,
        saw_yield: false,
        globals: vec![],
        nonlocals: vec![],
    };
    let mut body = vec![];
    while !p.at_t(&T::Eof) {
        if p.eat_t(&T::Newline) {
            continue;
        }
        p.stmt_into(&mut body)?;
    }
    Ok(body)
}

/// Parses one expression (used for f-string parts).
fn parse_sub_expr(src: &str, line: u32, in_async: bool) -> R<(Expr, bool)> {
    let toks = tokenize(src.trim()).map_err(|e| SyntaxErr { msg: e.0, line })?;
    let toks = toks
        .into_iter()
        .filter(|t| !matches!(t.t, T::Newline | T::Indent | T::Dedent))
        .map(|mut t| {
            t.line = line;
            t
        })
        .collect();
    let mut p = P {
        toks,
        pos: 0,
        in_async,
        in_func: true,
        susp: false,
        saw_yield: false,
        globals: vec![],
        nonlocals: vec![],
    };
    let e = p.expr_list()?;
    if !p.at_t(&T::Eof) {
        return Err(p.err("f-string: invalid syntax"));
    }
    Ok((e, p.susp))
}

impl P {
    fn peek(&self) -> &T {
        &self.toks[self.pos].t
    }
    fn peek2(&self) -> &T {
        &self.toks[(self.pos + 1).min(self.toks.len() - 1)].t
    }
    fn line(&self) -> u32 {
        self.toks[self.pos].line
    }
    fn next(&mut self) -> T {
        let t = self.toks[self.pos].t.clone();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }
    fn at_t(&self, t: &T) -> bool {
        self.peek() == t
    }
    fn eat_t(&mut self, t: &T) -> bool {
        if self.at_t(t) {
            self.next();
            true
        } else {
            false
        }
    }
    fn at(&self, op: &str) -> bool {
        matches!(self.peek(), T::Op(o) if *o == op)
    }
    fn eat(&mut self, op: &str) -> bool {
        if self.at(op) {
            self.next();
            true
        } else {
            false
        }
    }
    fn at_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), T::Name(n) if &**n == kw)
    }
    fn eat_kw(&mut self, kw: &str) -> bool {
        if self.at_kw(kw) {
            self.next();
            true
        } else {
            false
        }
    }
    fn err(&self, msg: &str) -> SyntaxErr {
        SyntaxErr {
            msg: msg.to_string(),
            line: self.line(),
        }
    }
    fn expect(&mut self, op: &str) -> R<()> {
        if self.eat(op) {
            Ok(())
        } else if op == ":" {
            Err(self.err("expected ':'"))
        } else {
            Err(self.err("invalid syntax"))
        }
    }
    fn expect_kw(&mut self, kw: &str) -> R<()> {
        if self.eat_kw(kw) {
            Ok(())
        } else {
            Err(self.err("invalid syntax"))
        }
    }
    fn name(&mut self) -> R<Rc<str>> {
        match self.peek().clone() {
            T::Name(n) if !is_keyword(&n) => {
                self.next();
                Ok(n)
            }
            _ => Err(self.err("invalid syntax")),
        }
    }

    // ---------- statements ----------

    fn block(&mut self) -> R<Vec<Stmt>> {
        self.expect(":")?;
        let mut body = vec![];
        if self.eat_t(&T::Newline) {
            if !self.eat_t(&T::Indent) {
                return Err(self.err("expected an indented block"));
            }
            while !self.eat_t(&T::Dedent) {
                if self.at_t(&T::Eof) {
                    break;
                }
                if self.eat_t(&T::Newline) {
                    continue;
                }
                self.stmt_into(&mut body)?;
            }
        } else {
            self.simple_stmts(&mut body)?;
        }
        Ok(body)
    }

    fn stmt_into(&mut self, out: &mut Vec<Stmt>) -> R<()> {
        let line = self.line();
        let outer = self.susp;
        self.susp = false;
        let compound = self.compound()?;
        match compound {
            Some(kind) => {
                let s = Stmt {
                    kind,
                    line,
                    suspends: self.susp,
                };
                out.push(s);
            }
            None => {
                self.susp = outer;
                return self.simple_stmts(out);
            }
        }
        self.susp |= outer;
        Ok(())
    }

    fn simple_stmts(&mut self, out: &mut Vec<Stmt>) -> R<()> {
        loop {
            let line = self.line();
            let outer = self.susp;
            self.susp = false;
            let kind = self.simple()?;
            out.push(Stmt {
                kind,
                line,
                suspends: self.susp,
            });
            self.susp |= outer;
            if self.eat(";") {
                if self.at_t(&T::Newline) {
                    break;
                }
                continue;
            }
            break;
        }
        if !self.eat_t(&T::Newline) && !self.at_t(&T::Eof) {
            return Err(self.err("invalid syntax"));
        }
        Ok(())
    }

    fn compound(&mut self) -> R<Option<S>> {
        let kw = match self.peek() {
            T::Name(n) => n.clone(),
            T::Op("@") => return self.decorated().map(Some),
            _ => return Ok(None),
        };
        Ok(Some(match &*kw {
            "if" => {
                self.next();
                self.if_rest()?
            }
            "while" => {
                self.next();
                let c = self.named_expr()?;
                let body = self.block()?;
                let orelse = if self.eat_kw("else") {
                    self.block()?
                } else {
                    vec![]
                };
                S::While(c, body, orelse)
            }
            "for" => {
                self.next();
                self.for_rest(false)?
            }
            "try" => {
                self.next();
                self.try_rest()?
            }
            "with" => {
                self.next();
                self.with_rest(false)?
            }
            "def" => {
                self.next();
                S::Def(self.funcdef(false, vec![])?)
            }
            "class" => {
                self.next();
                S::Class(self.classdef(vec![])?)
            }
            "async" => {
                self.next();
                if self.eat_kw("def") {
                    S::Def(self.funcdef(true, vec![])?)
                } else if self.eat_kw("for") || self.eat_kw("with") {
                    if !self.in_async {
                        return Err(self.err("'async' statement outside async function"));
                    }
                    self.susp = true;
                    let prev = &self.toks[self.pos - 1].t;
                    if matches!(prev, T::Name(n) if &**n == "for") {
                        self.for_rest(true)?
                    } else {
                        self.with_rest(true)?
                    }
                } else {
                    return Err(self.err("invalid syntax"));
                }
            }
            "match"
                if matches!(self.peek2(), T::Name(_) | T::Op("(") | T::Op("["))
                    && self.looks_like_match() =>
            {
                return Err(self.err("the 'match' statement is not supported"));
            }
            _ => return Ok(None),
        }))
    }

    fn looks_like_match(&self) -> bool {
        // `match x:` followed by a newline: the match statement.
        let mut depth = 0;
        for t in &self.toks[self.pos + 1..] {
            match &t.t {
                T::Op("(") | T::Op("[") | T::Op("{") => depth += 1,
                T::Op(")") | T::Op("]") | T::Op("}") => depth -= 1,
                T::Op(":") if depth == 0 => return true,
                T::Op("=") if depth == 0 => return false,
                T::Newline => return false,
                _ => {}
            }
        }
        false
    }

    fn decorated(&mut self) -> R<S> {
        let mut decos = vec![];
        while self.eat("@") {
            decos.push(self.expr()?);
            if !self.eat_t(&T::Newline) {
                return Err(self.err("invalid syntax"));
            }
        }
        if self.eat_kw("def") {
            Ok(S::Def(self.funcdef(false, decos)?))
        } else if self.eat_kw("async") {
            self.expect_kw("def")?;
            Ok(S::Def(self.funcdef(true, decos)?))
        } else if self.eat_kw("class") {
            Ok(S::Class(self.classdef(decos)?))
        } else {
            Err(self.err("invalid syntax"))
        }
    }

    fn if_rest(&mut self) -> R<S> {
        let c = self.named_expr()?;
        let body = self.block()?;
        let orelse = if self.at_kw("elif") {
            let line = self.line();
            self.next();
            let outer = self.susp;
            self.susp = false;
            let k = self.if_rest()?;
            let s = Stmt {
                kind: k,
                line,
                suspends: self.susp,
            };
            self.susp |= outer;
            vec![s]
        } else if self.eat_kw("else") {
            self.block()?
        } else {
            vec![]
        };
        Ok(S::If(c, body, orelse))
    }

    fn for_rest(&mut self, is_async: bool) -> R<S> {
        let target = self.target_list()?;
        self.expect_kw("in")?;
        let iter = self.expr_list()?;
        let body = self.block()?;
        let orelse = if self.eat_kw("else") {
            self.block()?
        } else {
            vec![]
        };
        Ok(S::For(target, iter, body, orelse, is_async))
    }

    fn try_rest(&mut self) -> R<S> {
        let body = self.block()?;
        let mut handlers = vec![];
        let mut star = false;
        while self.at_kw("except") {
            self.next();
            if self.eat("*") {
                star = true;
            }
            let (typ, name) = if self.at(":") {
                (None, None)
            } else {
                let t = self.expr()?;
                let n = if self.eat_kw("as") {
                    Some(self.name()?)
                } else {
                    None
                };
                (Some(t), n)
            };
            let body = self.block()?;
            handlers.push(Handler { typ, name, body });
        }
        let orelse = if self.eat_kw("else") {
            self.block()?
        } else {
            vec![]
        };
        let fin = if self.eat_kw("finally") {
            self.block()?
        } else {
            vec![]
        };
        if handlers.is_empty() && fin.is_empty() {
            return Err(self.err("expected 'except' or 'finally' block"));
        }
        Ok(S::Try(body, handlers, orelse, fin, star))
    }

    fn with_rest(&mut self, is_async: bool) -> R<S> {
        let mut items = vec![];
        let paren = self.at("(") && {
            // `with (a as b, c):` form
            let mut depth = 0;
            let mut ok = false;
            for t in &self.toks[self.pos..] {
                match &t.t {
                    T::Op("(") => depth += 1,
                    T::Op(")") => {
                        depth -= 1;
                        if depth == 0 {
                            continue;
                        }
                    }
                    T::Name(n) if depth == 1 && &**n == "as" => ok = true,
                    T::Op(":") if depth == 0 => break,
                    _ => {}
                }
            }
            ok
        };
        if paren {
            self.next();
        }
        loop {
            let e = self.expr()?;
            let t = if self.eat_kw("as") {
                Some(self.target()?)
            } else {
                None
            };
            items.push((e, t));
            if !self.eat(",") || (paren && self.at(")")) {
                break;
            }
        }
        if paren {
            self.expect(")")?;
        }
        let body = self.block()?;
        Ok(S::With(items, body, is_async))
    }

    fn funcdef(&mut self, is_async: bool, decorators: Vec<Expr>) -> R<Rc<FuncDef>> {
        let line = self.toks[self.pos.saturating_sub(1)].line;
        let name = self.name()?;
        self.expect("(")?;
        let params = self.params(")")?;
        self.expect(")")?;
        if self.eat("->") {
            self.expr()?;
        }
        let saved = (self.in_async, self.in_func, self.susp, self.saw_yield);
        let saved_g = (
            std::mem::take(&mut self.globals),
            std::mem::take(&mut self.nonlocals),
        );
        self.in_async = is_async;
        self.in_func = true;
        self.saw_yield = false;
        let body = self.block()?;
        let is_generator = self.saw_yield;
        let globals = std::mem::replace(&mut self.globals, saved_g.0);
        let nonlocals = std::mem::replace(&mut self.nonlocals, saved_g.1);
        (self.in_async, self.in_func, self.susp, self.saw_yield) = saved;
        Ok(Rc::new(FuncDef {
            name,
            params,
            body,
            decorators,
            is_async,
            is_generator,
            globals,
            nonlocals,
            line,
        }))
    }

    fn params(&mut self, close: &str) -> R<Params> {
        let mut p = Params::default();
        let mut kwonly = false;
        while !self.at(close) {
            if self.eat("**") {
                p.starstar = Some(self.name()?);
                self.annotation(close)?;
            } else if self.eat("*") {
                kwonly = true;
                if !self.at(",") {
                    p.star = Some(self.name()?);
                    self.annotation(close)?;
                }
            } else if self.eat("/") {
                p.posonly = p.pos.len();
            } else {
                let n = self.name()?;
                self.annotation(close)?;
                let d = if self.eat("=") {
                    Some(self.expr()?)
                } else {
                    None
                };
                if kwonly {
                    p.kwonly.push((n, d));
                } else {
                    if d.is_none() && p.pos.iter().any(|(_, d)| d.is_some()) {
                        return Err(self.err("non-default argument follows default argument"));
                    }
                    p.pos.push((n, d));
                }
            }
            if !self.eat(",") {
                break;
            }
        }
        Ok(p)
    }

    fn annotation(&mut self, close: &str) -> R<()> {
        if close == ")" && self.eat(":") {
            self.expr()?;
        }
        Ok(())
    }

    fn classdef(&mut self, decorators: Vec<Expr>) -> R<Rc<ClassDef>> {
        let name = self.name()?;
        let bases = if self.eat("(") {
            let a = self.call_args()?;
            self.expect(")")?;
            a
        } else {
            vec![]
        };
        let saved = (self.in_async, self.in_func);
        self.in_async = false;
        self.in_func = false;
        let body = self.block()?;
        (self.in_async, self.in_func) = saved;
        Ok(Rc::new(ClassDef {
            name,
            bases,
            body,
            decorators,
        }))
    }

    fn simple(&mut self) -> R<S> {
        if let T::Name(n) = self.peek().clone() {
            match &*n {
                "pass" => {
                    self.next();
                    return Ok(S::Pass);
                }
                "break" => {
                    self.next();
                    return Ok(S::Break);
                }
                "continue" => {
                    self.next();
                    return Ok(S::Continue);
                }
                "return" => {
                    self.next();
                    if !self.in_func {
                        return Err(SyntaxErr {
                            msg: "'return' outside function".into(),
                            line: self.line(),
                        });
                    }
                    let v = if self.at_end_of_simple() {
                        None
                    } else {
                        Some(self.expr_list()?)
                    };
                    return Ok(S::Return(v));
                }
                "raise" => {
                    self.next();
                    if self.at_end_of_simple() {
                        return Ok(S::Raise(None, None));
                    }
                    let e = self.expr()?;
                    let c = if self.eat_kw("from") {
                        Some(self.expr()?)
                    } else {
                        None
                    };
                    return Ok(S::Raise(Some(e), c));
                }
                "global" | "nonlocal" => {
                    self.next();
                    let mut names = vec![self.name()?];
                    while self.eat(",") {
                        names.push(self.name()?);
                    }
                    if &*n == "global" {
                        self.globals.extend(names);
                        return Ok(S::Global);
                    }
                    if !self.in_func {
                        return Err(self.err("nonlocal declaration not allowed at module level"));
                    }
                    self.nonlocals.extend(names);
                    return Ok(S::Nonlocal);
                }
                "del" => {
                    self.next();
                    let mut t = vec![self.target()?];
                    while self.eat(",") {
                        t.push(self.target()?);
                    }
                    return Ok(S::Del(t));
                }
                "assert" => {
                    self.next();
                    let c = self.expr()?;
                    let m = if self.eat(",") {
                        Some(self.expr()?)
                    } else {
                        None
                    };
                    return Ok(S::Assert(c, m));
                }
                "import" => {
                    self.next();
                    let mut mods = vec![];
                    loop {
                        let path = self.dotted()?;
                        let alias = if self.eat_kw("as") {
                            Some(self.name()?)
                        } else {
                            None
                        };
                        mods.push((path, alias));
                        if !self.eat(",") {
                            break;
                        }
                    }
                    return Ok(S::Import(mods));
                }
                "from" => {
                    self.next();
                    let path = self.dotted()?;
                    self.expect_kw("import")?;
                    let paren = self.eat("(");
                    let mut names = vec![];
                    if self.eat("*") {
                        return Err(self.err("'from ... import *' is not supported"));
                    }
                    loop {
                        let n = self.name()?;
                        let alias = if self.eat_kw("as") {
                            Some(self.name()?)
                        } else {
                            None
                        };
                        names.push((n, alias));
                        if !self.eat(",") || (paren && self.at(")")) {
                            break;
                        }
                    }
                    if paren {
                        self.expect(")")?;
                    }
                    return Ok(S::ImportFrom(path, names));
                }
                "type" if matches!(self.peek2(), T::Name(_)) => {
                    return Err(self.err("the 'type' statement is not supported"));
                }
                _ => {}
            }
        }
        // expression statement or assignment
        let first = self.star_expr_list()?;
        if self.eat(":") {
            // annotated assignment
            self.expr()?;
            let v = if self.eat("=") {
                Some(self.star_expr_list()?)
            } else {
                None
            };
            check_target(&first, self.line())?;
            return Ok(S::AnnAssign(first, v));
        }
        if let T::Op(op) = self.peek().clone() {
            if let Some(bop) = aug_op(op) {
                self.next();
                check_target(&first, self.line())?;
                let v = self.rhs()?;
                return Ok(S::AugAssign(first, bop, v));
            }
        }
        if self.at("=") {
            let mut targets = vec![first];
            let mut value;
            loop {
                self.expect("=")?;
                value = self.rhs()?;
                if self.at("=") {
                    targets.push(value);
                } else {
                    break;
                }
            }
            for t in &targets {
                check_target(t, self.line())?;
            }
            return Ok(S::Assign(targets, value));
        }
        Ok(S::Expr(first))
    }

    fn rhs(&mut self) -> R<Expr> {
        if self.at_kw("yield") {
            return self.yield_expr();
        }
        self.star_expr_list()
    }

    fn at_end_of_simple(&self) -> bool {
        matches!(self.peek(), T::Newline | T::Eof | T::Op(";"))
    }

    fn dotted(&mut self) -> R<Vec<Rc<str>>> {
        let mut v = vec![self.name()?];
        while self.eat(".") {
            v.push(self.name()?);
        }
        Ok(v)
    }

    // ---------- expressions ----------

    fn target(&mut self) -> R<Expr> {
        let e = self.or_expr_star()?;
        check_target(&e, self.line())?;
        Ok(e)
    }

    fn target_list(&mut self) -> R<Expr> {
        let first = self.or_expr_star()?;
        let e = if self.at(",") {
            let mut v = vec![first];
            while self.eat(",") {
                if self.at_kw("in") || self.at("=") {
                    break;
                }
                v.push(self.or_expr_star()?);
            }
            Expr::Tuple(v)
        } else {
            first
        };
        check_target(&e, self.line())?;
        Ok(e)
    }

    fn or_expr_star(&mut self) -> R<Expr> {
        if self.eat("*") {
            return Ok(Expr::Starred(Box::new(self.bitor()?)));
        }
        self.bitor()
    }

    /// `a, b, *c` as a tuple (or one expression).
    fn star_expr_list(&mut self) -> R<Expr> {
        let first = self.star_expr()?;
        if !self.at(",") {
            return Ok(first);
        }
        let mut v = vec![first];
        while self.eat(",") {
            if self.at_end_of_simple()
                || self.at("=")
                || self.at(")")
                || self.at(":")
                || is_aug(self.peek())
            {
                break;
            }
            v.push(self.star_expr()?);
        }
        Ok(Expr::Tuple(v))
    }

    fn star_expr(&mut self) -> R<Expr> {
        if self.eat("*") {
            return Ok(Expr::Starred(Box::new(self.bitor()?)));
        }
        self.named_expr()
    }

    fn expr_list(&mut self) -> R<Expr> {
        self.star_expr_list()
    }

    fn named_expr(&mut self) -> R<Expr> {
        if let (T::Name(n), T::Op(":=")) = (self.peek().clone(), self.peek2().clone()) {
            self.next();
            self.next();
            let v = self.expr()?;
            return Ok(Expr::Walrus(n, Box::new(v)));
        }
        self.expr()
    }

    fn yield_expr(&mut self) -> R<Expr> {
        self.expect_kw("yield")?;
        if !self.in_func {
            return Err(self.err("'yield' outside function"));
        }
        self.susp = true;
        self.saw_yield = true;
        if self.eat_kw("from") {
            if self.in_async {
                return Err(self.err("'yield from' inside async function"));
            }
            return Ok(Expr::YieldFrom(Box::new(self.expr()?)));
        }
        if matches!(
            self.peek(),
            T::Newline | T::Eof | T::Op(")") | T::Op(";") | T::Op("]") | T::Op("}")
        ) {
            return Ok(Expr::Yield(None));
        }
        Ok(Expr::Yield(Some(Box::new(self.expr_list()?))))
    }

    pub(crate) fn expr(&mut self) -> R<Expr> {
        if self.at_kw("lambda") {
            return self.lambda();
        }
        if self.at_kw("yield") {
            return self.yield_expr();
        }
        let e = self.or_test()?;
        if self.at_kw("if") {
            // a conditional expression, unless this `if` belongs to a comprehension
            self.next();
            let c = self.or_test()?;
            self.expect_kw("else")?;
            let o = self.expr()?;
            return Ok(Expr::IfExp(Box::new(c), Box::new(e), Box::new(o)));
        }
        Ok(e)
    }

    fn expr_nocond(&mut self) -> R<Expr> {
        if self.at_kw("lambda") {
            return self.lambda();
        }
        self.or_test()
    }

    fn lambda(&mut self) -> R<Expr> {
        let line = self.line();
        self.next();
        let params = self.params(":")?;
        self.expect(":")?;
        let saved = (self.in_async, self.in_func, self.susp, self.saw_yield);
        self.in_async = false;
        self.in_func = true;
        let body = self.expr()?;
        (self.in_async, self.in_func, self.susp, self.saw_yield) = saved;
        Ok(Expr::Lambda(Rc::new(FuncDef {
            name: "<lambda>".into(),
            params,
            body: vec![Stmt {
                kind: S::Return(Some(body)),
                line,
                suspends: false,
            }],
            decorators: vec![],
            is_async: false,
            is_generator: false,
            globals: vec![],
            nonlocals: vec![],
            line,
        })))
    }

    fn or_test(&mut self) -> R<Expr> {
        let mut e = self.and_test()?;
        while self.eat_kw("or") {
            let r = self.and_test()?;
            e = Expr::Or(Box::new(e), Box::new(r));
        }
        Ok(e)
    }

    fn and_test(&mut self) -> R<Expr> {
        let mut e = self.not_test()?;
        while self.eat_kw("and") {
            let r = self.not_test()?;
            e = Expr::And(Box::new(e), Box::new(r));
        }
        Ok(e)
    }

    fn not_test(&mut self) -> R<Expr> {
        if self.eat_kw("not") {
            return Ok(Expr::Un(UnOp::Not, Box::new(self.not_test()?)));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> R<Expr> {
        let e = self.bitor()?;
        let mut ops = vec![];
        loop {
            let op = match self.peek() {
                T::Op("==") => CmpOp::Eq,
                T::Op("!=") => CmpOp::Ne,
                T::Op("<") => CmpOp::Lt,
                T::Op("<=") => CmpOp::Le,
                T::Op(">") => CmpOp::Gt,
                T::Op(">=") => CmpOp::Ge,
                T::Name(n) if &**n == "in" => CmpOp::In,
                T::Name(n) if &**n == "is" => {
                    self.next();
                    let op = if self.eat_kw("not") {
                        CmpOp::IsNot
                    } else {
                        CmpOp::Is
                    };
                    ops.push((op, self.bitor()?));
                    continue;
                }
                T::Name(n)
                    if &**n == "not" && matches!(self.peek2(), T::Name(m) if &**m == "in") =>
                {
                    self.next();
                    self.next();
                    ops.push((CmpOp::NotIn, self.bitor()?));
                    continue;
                }
                _ => break,
            };
            self.next();
            ops.push((op, self.bitor()?));
        }
        if ops.is_empty() {
            Ok(e)
        } else {
            Ok(Expr::Cmp(Box::new(e), ops))
        }
    }

    fn binlevel(&mut self, level: usize) -> R<Expr> {
        const LEVELS: &[&[(&str, BinOp)]] = &[
            &[("|", BinOp::BitOr)],
            &[("^", BinOp::BitXor)],
            &[("&", BinOp::BitAnd)],
            &[("<<", BinOp::LShift), (">>", BinOp::RShift)],
            &[("+", BinOp::Add), ("-", BinOp::Sub)],
            &[
                ("*", BinOp::Mul),
                ("/", BinOp::Div),
                ("//", BinOp::FloorDiv),
                ("%", BinOp::Mod),
                ("@", BinOp::MatMul),
            ],
        ];
        if level == LEVELS.len() {
            return self.unary();
        }
        let mut e = self.binlevel(level + 1)?;
        'outer: loop {
            for (s, op) in LEVELS[level] {
                if self.at(s) {
                    self.next();
                    let r = self.binlevel(level + 1)?;
                    e = Expr::Bin(*op, Box::new(e), Box::new(r));
                    continue 'outer;
                }
            }
            return Ok(e);
        }
    }

    fn bitor(&mut self) -> R<Expr> {
        self.binlevel(0)
    }

    fn unary(&mut self) -> R<Expr> {
        let op = match self.peek() {
            T::Op("-") => UnOp::Neg,
            T::Op("+") => UnOp::Pos,
            T::Op("~") => UnOp::Invert,
            _ => return self.power(),
        };
        self.next();
        let e = self.unary()?;
        if let (UnOp::Neg, Expr::Const(Const::Int(i))) = (op, &e) {
            return Ok(Expr::Const(Const::Int(-i)));
        }
        if let (UnOp::Neg, Expr::Const(Const::Float(f))) = (op, &e) {
            return Ok(Expr::Const(Const::Float(-f)));
        }
        Ok(Expr::Un(op, Box::new(e)))
    }

    fn power(&mut self) -> R<Expr> {
        let e = if self.at_kw("await") {
            self.next();
            if !self.in_async {
                return Err(self.err("'await' outside async function"));
            }
            self.susp = true;
            Expr::Await(Box::new(self.power_base()?))
        } else {
            self.power_base()?
        };
        if self.eat("**") {
            let r = self.unary()?;
            return Ok(Expr::Bin(BinOp::Pow, Box::new(e), Box::new(r)));
        }
        Ok(e)
    }

    fn power_base(&mut self) -> R<Expr> {
        let mut e = self.atom()?;
        loop {
            if self.eat("(") {
                let args = self.call_args()?;
                self.expect(")")?;
                e = Expr::Call(Box::new(e), args);
            } else if self.eat("[") {
                let idx = self.subscript()?;
                self.expect("]")?;
                e = Expr::Sub(Box::new(e), Box::new(idx));
            } else if self.eat(".") {
                let n = match self.next() {
                    T::Name(n) => n,
                    _ => return Err(self.err("invalid syntax")),
                };
                e = Expr::Attr(Box::new(e), n);
            } else {
                return Ok(e);
            }
        }
    }

    fn subscript(&mut self) -> R<Expr> {
        let first = self.slice_item()?;
        if self.at(",") {
            let mut v = vec![first];
            while self.eat(",") {
                if self.at("]") {
                    break;
                }
                v.push(self.slice_item()?);
            }
            return Ok(Expr::Tuple(v));
        }
        Ok(first)
    }

    fn slice_item(&mut self) -> R<Expr> {
        let lo = if self.at(":") {
            None
        } else {
            Some(Box::new(self.named_expr()?))
        };
        if !self.eat(":") {
            return Ok(*lo.unwrap());
        }
        let hi = if self.at(":") || self.at("]") || self.at(",") {
            None
        } else {
            Some(Box::new(self.expr()?))
        };
        let step = if self.eat(":") && !self.at("]") && !self.at(",") {
            Some(Box::new(self.expr()?))
        } else {
            None
        };
        Ok(Expr::Slice(lo, hi, step))
    }

    fn call_args(&mut self) -> R<Vec<Arg>> {
        let mut args = vec![];
        while !self.at(")") {
            if self.eat("**") {
                args.push(Arg::StarStar(self.expr()?));
            } else if self.eat("*") {
                args.push(Arg::Star(self.expr()?));
            } else if let (T::Name(n), T::Op("=")) = (self.peek().clone(), self.peek2().clone()) {
                self.next();
                self.next();
                args.push(Arg::Kw(n, self.expr()?));
            } else {
                let e = self.named_expr()?;
                if self.at_kw("for") || self.at_kw("async") {
                    let fors = self.comp_fors()?;
                    args.push(Arg::Pos(Expr::Comp(
                        CompKind::Gen,
                        Rc::new(e),
                        None,
                        Rc::new(fors),
                    )));
                } else {
                    args.push(Arg::Pos(e));
                }
            }
            if !self.eat(",") {
                break;
            }
        }
        Ok(args)
    }

    fn comp_fors(&mut self) -> R<Vec<CompFor>> {
        let mut fors = vec![];
        loop {
            let is_async = self.eat_kw("async");
            if is_async {
                self.susp = true;
            }
            if !self.eat_kw("for") {
                break;
            }
            let target = self.target_list()?;
            self.expect_kw("in")?;
            let iter = self.or_test()?;
            let mut ifs = vec![];
            while self.eat_kw("if") {
                ifs.push(self.expr_nocond()?);
            }
            fors.push(CompFor {
                target,
                iter,
                ifs,
                is_async,
            });
            if !self.at_kw("for") && !self.at_kw("async") {
                break;
            }
        }
        Ok(fors)
    }

    fn atom(&mut self) -> R<Expr> {
        let line = self.line();
        match self.next() {
            T::Int(i) => Ok(Expr::Const(Const::Int(i))),
            T::BigInt(s) => Ok(Expr::Const(Const::BigInt(s))),
            T::Float(f) => Ok(Expr::Const(Const::Float(f))),
            T::Str(s) => self.strings(Some(s), None, line),
            T::FStr(s, raw) => self.strings(None, Some((s, raw)), line),
            T::Bytes(b) => {
                let mut v = b.to_vec();
                while let T::Bytes(more) = self.peek().clone() {
                    self.next();
                    v.extend_from_slice(&more);
                }
                Ok(Expr::Const(Const::Bytes(v.into())))
            }
            T::Name(n) => match &*n {
                "None" => Ok(Expr::Const(Const::None)),
                "True" => Ok(Expr::Const(Const::True)),
                "False" => Ok(Expr::Const(Const::False)),
                _ if is_keyword(&n) => Err(SyntaxErr {
                    msg: "invalid syntax".into(),
                    line,
                }),
                _ => Ok(Expr::Name(n)),
            },
            T::Op("...") => Ok(Expr::Const(Const::Ellipsis)),
            T::Op("(") => {
                if self.eat(")") {
                    return Ok(Expr::Tuple(vec![]));
                }
                if self.at_kw("yield") {
                    let y = self.yield_expr()?;
                    self.expect(")")?;
                    return Ok(y);
                }
                let first = self.star_expr()?;
                if self.at_kw("for") || self.at_kw("async") {
                    let fors = self.comp_fors()?;
                    self.expect(")")?;
                    return Ok(Expr::Comp(
                        CompKind::Gen,
                        Rc::new(first),
                        None,
                        Rc::new(fors),
                    ));
                }
                if self.eat(")") {
                    return Ok(first);
                }
                let mut v = vec![first];
                while self.eat(",") {
                    if self.at(")") {
                        break;
                    }
                    v.push(self.star_expr()?);
                }
                self.expect(")")?;
                Ok(Expr::Tuple(v))
            }
            T::Op("[") => {
                if self.eat("]") {
                    return Ok(Expr::List(vec![]));
                }
                let first = self.star_expr()?;
                if self.at_kw("for") || self.at_kw("async") {
                    let fors = self.comp_fors()?;
                    self.expect("]")?;
                    return Ok(Expr::Comp(
                        CompKind::List,
                        Rc::new(first),
                        None,
                        Rc::new(fors),
                    ));
                }
                let mut v = vec![first];
                while self.eat(",") {
                    if self.at("]") {
                        break;
                    }
                    v.push(self.star_expr()?);
                }
                self.expect("]")?;
                Ok(Expr::List(v))
            }
            T::Op("{") => {
                if self.eat("}") {
                    return Ok(Expr::Dict(vec![]));
                }
                if self.eat("**") {
                    let m = self.bitor()?;
                    let mut items = vec![(None, m)];
                    self.dict_rest(&mut items)?;
                    return Ok(Expr::Dict(items));
                }
                let first = self.star_expr()?;
                if self.eat(":") {
                    let v = self.expr()?;
                    if self.at_kw("for") || self.at_kw("async") {
                        let fors = self.comp_fors()?;
                        self.expect("}")?;
                        return Ok(Expr::Comp(
                            CompKind::Dict,
                            Rc::new(first),
                            Some(Box::new(v)),
                            Rc::new(fors),
                        ));
                    }
                    let mut items = vec![(Some(first), v)];
                    self.dict_rest(&mut items)?;
                    return Ok(Expr::Dict(items));
                }
                if self.at_kw("for") || self.at_kw("async") {
                    let fors = self.comp_fors()?;
                    self.expect("}")?;
                    return Ok(Expr::Comp(
                        CompKind::Set,
                        Rc::new(first),
                        None,
                        Rc::new(fors),
                    ));
                }
                let mut v = vec![first];
                while self.eat(",") {
                    if self.at("}") {
                        break;
                    }
                    v.push(self.star_expr()?);
                }
                self.expect("}")?;
                Ok(Expr::Set(v))
            }
            T::Indent => Err(SyntaxErr {
                msg: "unexpected indent".into(),
                line,
            }),
            T::Eof | T::Newline => Err(SyntaxErr {
                msg: "invalid syntax".into(),
                line,
            }),
            _ => Err(SyntaxErr {
                msg: "invalid syntax".into(),
                line,
            }),
        }
    }

    fn dict_rest(&mut self, items: &mut Vec<(Option<Expr>, Expr)>) -> R<()> {
        while self.eat(",") {
            if self.at("}") {
                break;
            }
            if self.eat("**") {
                items.push((None, self.bitor()?));
                continue;
            }
            let k = self.expr()?;
            self.expect(":")?;
            let v = self.expr()?;
            items.push((Some(k), v));
        }
        self.expect("}")
    }

    /// Adjacent string literals, any of them f-strings.
    fn strings(
        &mut self,
        first: Option<Rc<str>>,
        ffirst: Option<(Rc<str>, bool)>,
        line: u32,
    ) -> R<Expr> {
        let mut parts: Vec<FPart> = vec![];
        let mut any_f = false;
        let mut push = |p: &mut P,
                        parts: &mut Vec<FPart>,
                        s: Option<Rc<str>>,
                        f: Option<(Rc<str>, bool)>|
         -> R<()> {
            if let Some(s) = s {
                parts.push(FPart::Lit(s));
            }
            if let Some((f, raw)) = f {
                any_f = true;
                let (ps, susp) = parse_fstring(&f, raw, line, p.in_async)?;
                p.susp |= susp;
                parts.extend(ps);
            }
            Ok(())
        };
        push(self, &mut parts, first, ffirst)?;
        loop {
            match self.peek().clone() {
                T::Str(s) => {
                    self.next();
                    push(self, &mut parts, Some(s), None)?;
                }
                T::FStr(s, raw) => {
                    self.next();
                    push(self, &mut parts, None, Some((s, raw)))?;
                }
                _ => break,
            }
        }
        if !any_f {
            let s: String = parts
                .iter()
                .map(|p| match p {
                    FPart::Lit(s) => &**s,
                    _ => "",
                })
                .collect();
            return Ok(Expr::Const(Const::Str(s.into())));
        }
        Ok(Expr::FStr(parts))
    }
}

/// Splits an f-string body into literal and `{expr!c:spec}` parts.
fn parse_fstring(s: &str, raw: bool, line: u32, in_async: bool) -> R<(Vec<FPart>, bool)> {
    let mut parts = vec![];
    let mut lit = String::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut susp = false;
    let flush = |lit: &mut String, parts: &mut Vec<FPart>| {
        if !lit.is_empty() {
            let t = if raw { lit.clone() } else { unescape(lit) };
            parts.push(FPart::Lit(t.into()));
            lit.clear();
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '{' && chars.get(i + 1) == Some(&'{') {
            lit.push('{');
            i += 2;
            continue;
        }
        if c == '}' && chars.get(i + 1) == Some(&'}') {
            lit.push('}');
            i += 2;
            continue;
        }
        if c == '}' {
            return Err(SyntaxErr {
                msg: "f-string: single '}' is not allowed".into(),
                line,
            });
        }
        if c != '{' {
            lit.push(c);
            i += 1;
            continue;
        }
        flush(&mut lit, &mut parts);
        // find the end of the expression: depth-aware, string-aware
        i += 1;
        let start = i;
        let mut depth = 0;
        let mut quote: Option<char> = None;
        while i < chars.len() {
            let ch = chars[i];
            if let Some(q) = quote {
                if ch == q {
                    quote = None;
                }
            } else if ch == '\'' || ch == '"' {
                quote = Some(ch);
            } else if ch == '(' || ch == '[' || ch == '{' {
                depth += 1;
            } else if ch == ')' || ch == ']' || ch == '}' {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            } else if depth == 0
                && (ch == ':' || ch == '!')
                && !(ch == '!' && chars.get(i + 1) == Some(&'='))
            {
                break;
            }
            i += 1;
        }
        let mut text: String = chars[start..i].iter().collect();
        let mut debug: Option<Rc<str>> = None;
        if text.trim_end().ends_with('=') && !text.trim_end().ends_with("==") {
            let t = text.trim_end();
            debug = Some(text.clone().into());
            text = t[..t.len() - 1].to_string();
        }
        if text.trim().is_empty() {
            return Err(SyntaxErr {
                msg: "f-string: empty expression not allowed".into(),
                line,
            });
        }
        let (e, s) = parse_sub_expr(&text, line, in_async)?;
        susp |= s;
        let mut conv = None;
        if chars.get(i) == Some(&'!') {
            conv = chars.get(i + 1).copied();
            i += 2;
        }
        let mut spec = None;
        if chars.get(i) == Some(&':') {
            i += 1;
            let sstart = i;
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '{' {
                    depth += 1;
                } else if chars[i] == '}' {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                }
                i += 1;
            }
            let spec_text: String = chars[sstart..i].iter().collect();
            let (sp, s2) = parse_fstring(&spec_text, raw, line, in_async)?;
            susp |= s2;
            spec = Some(sp);
        }
        if chars.get(i) != Some(&'}') {
            return Err(SyntaxErr {
                msg: "f-string: expecting '}'".into(),
                line,
            });
        }
        i += 1;
        if debug.is_some() && conv.is_none() && spec.is_none() {
            conv = Some('r');
        }
        parts.push(FPart::Expr(e, conv, spec, debug));
    }
    flush(&mut lit, &mut parts);
    Ok((parts, susp))
}

fn is_keyword(n: &str) -> bool {
    matches!(
        n,
        "False"
            | "None"
            | "True"
            | "and"
            | "as"
            | "assert"
            | "async"
            | "await"
            | "break"
            | "class"
            | "continue"
            | "def"
            | "del"
            | "elif"
            | "else"
            | "except"
            | "finally"
            | "for"
            | "from"
            | "global"
            | "if"
            | "import"
            | "in"
            | "is"
            | "lambda"
            | "nonlocal"
            | "not"
            | "or"
            | "pass"
            | "raise"
            | "return"
            | "try"
            | "while"
            | "with"
            | "yield"
    )
}

fn is_aug(t: &T) -> bool {
    matches!(t, T::Op(o) if aug_op(o).is_some())
}

fn aug_op(op: &str) -> Option<BinOp> {
    Some(match op {
        "+=" => BinOp::Add,
        "-=" => BinOp::Sub,
        "*=" => BinOp::Mul,
        "/=" => BinOp::Div,
        "//=" => BinOp::FloorDiv,
        "%=" => BinOp::Mod,
        "**=" => BinOp::Pow,
        "<<=" => BinOp::LShift,
        ">>=" => BinOp::RShift,
        "&=" => BinOp::BitAnd,
        "|=" => BinOp::BitOr,
        "^=" => BinOp::BitXor,
        "@=" => BinOp::MatMul,
        _ => return None,
    })
}

fn check_target(e: &Expr, line: u32) -> R<()> {
    match e {
        Expr::Name(_) | Expr::Attr(..) | Expr::Sub(..) => Ok(()),
        Expr::Tuple(v) | Expr::List(v) => v.iter().try_for_each(|x| check_target(x, line)),
        Expr::Starred(x) => check_target(x, line),
        Expr::Call(..) => Err(SyntaxErr {
            msg: "cannot assign to function call".into(),
            line,
        }),
        Expr::Const(_) => Err(SyntaxErr {
            msg: "cannot assign to literal".into(),
            line,
        }),
        _ => Err(SyntaxErr {
            msg: "cannot assign to expression".into(),
            line,
        }),
    }
}
