//! Python values: the [`Value`] enum and the heap objects behind it.
//!
//! Immutable scalars (`None`, bool, int, float) are stored inline; everything else is an `Rc`,
//! so assignment shares the object as Python does, and mutable containers sit in a `RefCell`.
//! A dict is an insertion-ordered table ([`Dict`]): a vector of entries (tombstoned on delete)
//! plus a hash index from [`HKey`] (the hashable form of a key) to the entry's position.

use crate::cell::Borrows as _;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A small, fast hasher for the interpreter's own tables (names, attributes, dict keys): the
/// multiply-rotate scheme of rustc's FxHash. Not DoS-resistant, which a sandboxed interpreter
/// of the user's own program does not need.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(b));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.write_u64(i as u64);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A hash map with [`FxHasher`].
pub type Map<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
use std::fmt;
use std::rc::Rc;

use crate::ast::FuncDef;
use crate::interp::{Interp, Res};

/// Keyword arguments of a call, in order.
pub type Kwargs = Vec<(Rc<str>, Value)>;

/// A builtin method's body: the receiver, positional and keyword arguments.
pub type MethodFn = fn(&Interp, &Value, Vec<Value>, Kwargs) -> Res<Value>;

/// A builtin function's body.
pub type BuiltinFn = fn(&Interp, Vec<Value>, Kwargs) -> Res<Value>;

/// A native iterator's step.
pub type IterFn = Box<dyn FnMut(&Interp) -> Res<Option<Value>>>;

/// A native function: called with the interpreter, positional and keyword arguments.
///
/// A trait of its own rather than `dyn Fn`: a `dyn Fn` vtable also carries `call_mut` and a
/// `call_once` shim for every closure, about 150 closures' worth of code (17 KB) that nothing
/// calls; this vtable holds `call` and the destructor only.
pub trait NativeFn {
    /// Calls the function.
    fn call(&self, i: &Interp, args: Vec<Value>, kwargs: Kwargs) -> Res<Value>;
}

impl<F: Fn(&Interp, Vec<Value>, Kwargs) -> Res<Value>> NativeFn for F {
    #[inline]
    fn call(&self, i: &Interp, args: Vec<Value>, kwargs: Kwargs) -> Res<Value> {
        self(i, args, kwargs)
    }
}

/// A Python value.
#[derive(Clone)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    /// An int beyond 64 bits (never one that fits an `i64`).
    Big(Rc<crate::bigint::BigInt>),
    Float(f64),
    Str(Rc<str>),
    Bytes(Rc<[u8]>),
    List(Rc<RefCell<Vec<Value>>>),
    Tuple(Rc<Vec<Value>>),
    Dict(Rc<RefCell<Dict>>),
    Set(Rc<RefCell<Dict>>),
    Range(i64, i64, i64),
    Slice(Rc<(Value, Value, Value)>),
    Func(Rc<Function>),
    Native(Rc<Native>),
    /// A method bound to its receiver.
    Bound(Rc<(Value, Value)>),
    Class(Rc<Class>),
    Inst(Rc<Instance>),
    Module(Rc<Module>),
    Coro(Rc<crate::coro::Coro>),
    Gen(Rc<crate::coro::Gen>),
    Iter(Rc<RefCell<Iter>>),
    Task(Rc<crate::asyncio::PyTask>),
    Object(Rc<dyn Object>),
    Property(Rc<(Value, Value)>),
    StaticMethod(Rc<Value>),
    ClassMethod(Rc<Value>),
    Super(Rc<(Rc<Class>, Value)>),
    Ellipsis,
}

/// A native object's behaviour: its type name and its attributes (methods are bound natives).
pub trait Object {
    /// The Python type name.
    fn type_name(&self) -> &str;
    /// An attribute, given the object's own value (to bind methods to).
    fn getattr(&self, me: &Value, name: &str) -> Option<Value>;
    /// `repr()`.
    fn repr(&self) -> String {
        format!("<{} object>", self.type_name())
    }
    /// As `Any`, for downcasts.
    fn as_any(&self) -> &dyn std::any::Any;
}

/// A builtin function or method.
pub struct Native {
    pub name: Rc<str>,
    pub f: Box<dyn NativeFn>,
}

/// A user function with its captured scope and defaults.
pub struct Function {
    pub def: Rc<FuncDef>,
    pub name: RefCell<Rc<str>>,
    pub qualname: Rc<str>,
    pub globals: Rc<Scope>,
    pub closure: Option<Rc<Scope>>,
    pub defaults: Vec<Value>,
    pub kwdefaults: Vec<Option<Value>>,
    pub owner: RefCell<Option<std::rc::Weak<Class>>>,
    pub dict: RefCell<Map<Rc<str>, Value>>,
}

/// A variable scope: a function call's locals, a class body, or a module's globals.
pub struct Scope {
    pub vars: RefCell<Map<Rc<str>, Value>>,
    pub parent: Option<Rc<Scope>>,
}

impl Scope {
    /// A new scope.
    pub fn new(parent: Option<Rc<Scope>>) -> Rc<Scope> {
        Rc::new(Scope {
            vars: RefCell::new(Map::default()),
            parent,
        })
    }
    /// A variable's value here.
    pub fn get(&self, n: &str) -> Option<Value> {
        self.vars.rd().get(n).cloned()
    }
    /// Sets a variable here.
    pub fn set(&self, n: Rc<str>, v: Value) {
        self.vars.wr().insert(n, v);
    }
}

/// A class: its name, bases, method resolution order and namespace.
pub struct Class {
    pub name: Rc<str>,
    pub bases: Vec<Rc<Class>>,
    pub mro: RefCell<Vec<Rc<Class>>>,
    pub dict: RefCell<Map<Rc<str>, Value>>,
    /// For builtin types: the constructor.
    pub ctor: Option<Value>,
    pub module: Rc<str>,
}

impl Class {
    /// A new class with its MRO computed (C3 for the usual cases, depth-first de-duplicated).
    pub fn new(
        name: Rc<str>,
        bases: Vec<Rc<Class>>,
        dict: Map<Rc<str>, Value>,
        ctor: Option<Value>,
    ) -> Rc<Class> {
        let c = Rc::new(Class {
            name,
            bases: bases.clone(),
            mro: RefCell::new(vec![]),
            dict: RefCell::new(dict),
            ctor,
            module: "builtins".into(),
        });
        let mut mro = vec![c.clone()];
        let mut seqs: Vec<Vec<Rc<Class>>> = bases.iter().map(|b| b.mro.rd().clone()).collect();
        seqs.push(bases.clone());
        loop {
            seqs.retain(|s| !s.is_empty());
            if seqs.is_empty() {
                break;
            }
            let mut pick = None;
            for s in &seqs {
                let cand = &s[0];
                if !seqs
                    .iter()
                    .any(|o| o[1..].iter().any(|x| Rc::ptr_eq(x, cand)))
                {
                    pick = Some(cand.clone());
                    break;
                }
            }
            let pick = pick.unwrap_or_else(|| seqs[0][0].clone());
            for s in seqs.iter_mut() {
                if Rc::ptr_eq(&s[0], &pick) {
                    s.remove(0);
                }
            }
            mro.push(pick);
        }
        *c.mro.wr() = mro;
        c
    }
    /// Looks a name up along the MRO.
    pub fn lookup(&self, n: &str) -> Option<Value> {
        if let Some(v) = self.dict.rd().get(n) {
            return Some(v.clone());
        }
        for c in self.mro.rd().iter().skip(1) {
            if let Some(v) = c.dict.rd().get(n) {
                return Some(v.clone());
            }
        }
        None
    }
    /// Whether `other` is in this class's MRO.
    pub fn is_sub(&self, other: &Rc<Class>) -> bool {
        self.mro.rd().iter().any(|c| Rc::ptr_eq(c, other))
    }
}

/// An instance of a user class (or of an exception class).
pub struct Instance {
    pub class: Rc<Class>,
    pub dict: RefCell<Map<Rc<str>, Value>>,
}

/// A module: a name and its namespace.
pub struct Module {
    pub name: Rc<str>,
    pub scope: Rc<Scope>,
}

/// An iterator's state.
pub enum Iter {
    Seq(Value, usize),
    Range(i64, i64, i64),
    Chars(Rc<str>, usize),
    Vals(Vec<Value>, usize),
    Fn(IterFn),
}

/// The hashable form of a dict key or set member.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum HKey {
    None,
    Int(i64),
    Float(u64),
    Str(Rc<str>),
    Bytes(Rc<[u8]>),
    Tuple(Vec<HKey>),
    Big(Rc<crate::bigint::BigInt>),
    Id(usize),
}

/// An insertion-ordered dict (sets use it with `None` values).
#[derive(Default, Clone)]
pub struct Dict {
    index: Map<HKey, usize>,
    entries: Vec<Option<(Value, Value)>>,
    live: usize,
}

impl Dict {
    /// Number of live entries.
    pub fn len(&self) -> usize {
        self.live
    }
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }
    /// Looks a key up.
    pub fn get(&self, k: &HKey) -> Option<&Value> {
        self.index
            .get(k)
            .and_then(|&i| self.entries[i].as_ref().map(|e| &e.1))
    }
    /// Whether the key is present.
    pub fn contains(&self, k: &HKey) -> bool {
        self.index.contains_key(k)
    }
    /// Inserts or replaces (keeping the original position and key).
    pub fn insert(&mut self, hk: HKey, k: Value, v: Value) {
        if let Some(&i) = self.index.get(&hk) {
            if let Some(e) = &mut self.entries[i] {
                e.1 = v;
            }
            return;
        }
        self.index.insert(hk, self.entries.len());
        self.entries.push(Some((k, v)));
        self.live += 1;
    }
    /// Removes a key, giving its value.
    pub fn remove(&mut self, k: &HKey) -> Option<Value> {
        let i = self.index.remove(k)?;
        let e = self.entries[i].take();
        self.live -= 1;
        if self.entries.len() > 32 && self.live < self.entries.len() / 2 {
            self.compact();
        }
        e.map(|e| e.1)
    }
    fn compact(&mut self) {
        let old = std::mem::take(&mut self.entries);
        self.index.clear();
        for (k, v) in old.into_iter().flatten() {
            let hk = hkey_unchecked(&k);
            self.index.insert(hk, self.entries.len());
            self.entries.push(Some((k, v)));
        }
    }
    /// Entries in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &(Value, Value)> {
        self.entries.iter().flatten()
    }
    /// Keys in insertion order.
    pub fn keys(&self) -> Vec<Value> {
        self.iter().map(|e| e.0.clone()).collect()
    }
    /// A set's members in the order CPython's hash table gives small non-negative ints (by
    /// value); anything else in insertion order.
    pub fn set_order(&self) -> Vec<Value> {
        let k = self.keys();
        if k.iter()
            .all(|v| matches!(v, Value::Int(n) if (0..1 << 20).contains(n)))
        {
            let int = |v: &Value| if let Value::Int(n) = v { *n } else { 0 };
            let order = crate::sort::stable_order(k.len(), &mut |a, b| Ok(int(&k[a]) < int(&k[b])));
            if let Ok(order) = order {
                return order.into_iter().map(|x| k[x].clone()).collect();
            }
        }
        k
    }
    /// Removes and returns the last entry.
    pub fn pop_last(&mut self) -> Option<(Value, Value)> {
        while let Some(e) = self.entries.pop() {
            if let Some((k, v)) = e {
                self.index.remove(&hkey_unchecked(&k));
                self.live -= 1;
                return Some((k, v));
            }
        }
        None
    }
    /// Removes and returns the first entry.
    pub fn pop_first(&mut self) -> Option<(Value, Value)> {
        let i = self.entries.iter().position(|e| e.is_some())?;
        let (k, v) = self.entries[i].take()?;
        self.index.remove(&hkey_unchecked(&k));
        self.live -= 1;
        Some((k, v))
    }
    /// Empties the dict.
    pub fn clear(&mut self) {
        *self = Dict::default();
    }
}

/// The hash key of a value already known to be hashable.
pub fn hkey_unchecked(v: &Value) -> HKey {
    hkey(v).unwrap_or(HKey::Id(0))
}

/// The hash key of a value, or `None` if it is unhashable (list, dict, set).
pub fn hkey(v: &Value) -> Option<HKey> {
    Some(match v {
        Value::None => HKey::None,
        Value::Bool(b) => HKey::Int(*b as i64),
        Value::Int(i) => HKey::Int(*i),
        Value::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 9e18 {
                HKey::Int(*f as i64)
            } else {
                HKey::Float(f.to_bits())
            }
        }
        Value::Str(s) => HKey::Str(s.clone()),
        Value::Big(b) => HKey::Big(b.clone()),
        Value::Bytes(b) => HKey::Bytes(b.clone()),
        Value::Tuple(t) => HKey::Tuple(t.iter().map(hkey).collect::<Option<Vec<_>>>()?),
        Value::List(_) | Value::Dict(_) | Value::Set(_) => return None,
        other => HKey::Id(other.id()),
    })
}

impl Value {
    /// A str value.
    pub fn str(s: &str) -> Value {
        Value::Str(s.into())
    }
    /// An int from a big integer (the small form when it fits).
    pub fn int(b: crate::bigint::BigInt) -> Value {
        match b.to_i64() {
            Some(v) => Value::Int(v),
            None => Value::Big(Rc::new(b)),
        }
    }
    /// A list value.
    pub fn list(v: Vec<Value>) -> Value {
        Value::List(Rc::new(RefCell::new(v)))
    }
    /// A tuple value.
    pub fn tuple(v: Vec<Value>) -> Value {
        Value::Tuple(Rc::new(v))
    }
    /// A native function value.
    pub fn native(
        name: &str,
        f: impl Fn(&Interp, Vec<Value>, Vec<(Rc<str>, Value)>) -> Res<Value> + 'static,
    ) -> Value {
        Value::Native(Rc::new(Native {
            name: name.into(),
            f: Box::new(f),
        }))
    }
    /// An identity for `id()` and `is`.
    pub fn id(&self) -> usize {
        fn p<T: ?Sized>(r: &Rc<T>) -> usize {
            Rc::as_ptr(r) as *const u8 as usize
        }
        match self {
            Value::None => 1,
            Value::Bool(b) => 2 + *b as usize,
            Value::Int(i) => *i as usize,
            Value::Float(f) => f.to_bits() as usize,
            Value::Str(s) => p(s),
            Value::Big(b) => p(b),
            Value::Bytes(b) => p(b),
            Value::List(r) => p(r),
            Value::Tuple(r) => p(r),
            Value::Dict(r) | Value::Set(r) => p(r),
            Value::Range(a, b, c) => (*a ^ b.rotate_left(20) ^ c.rotate_left(40)) as usize,
            Value::Slice(r) => p(r),
            Value::Func(r) => p(r),
            Value::Native(r) => p(r),
            Value::Bound(r) => p(r),
            Value::Class(r) => p(r),
            Value::Inst(r) => p(r),
            Value::Module(r) => p(r),
            Value::Coro(r) => p(r),
            Value::Gen(r) => p(r),
            Value::Iter(r) => p(r),
            Value::Task(r) => p(r),
            Value::Object(r) => p(r),
            Value::Property(r) => p(r),
            Value::StaticMethod(r) | Value::ClassMethod(r) => p(r),
            Value::Super(r) => p(r),
            Value::Ellipsis => 5,
        }
    }
    /// Identity comparison (`is`).
    pub fn is(&self, o: &Value) -> bool {
        match (self, o) {
            (Value::None, Value::None) | (Value::Ellipsis, Value::Ellipsis) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => Rc::ptr_eq(a, b) || (a.len() <= 1 && a == b),
            (Value::Range(..), _)
            | (Value::Float(_), _)
            | (Value::Int(_), _)
            | (Value::Bool(_), _)
            | (Value::None, _) => false,
            (a, b) => std::mem::discriminant(a) == std::mem::discriminant(b) && a.id() == b.id(),
        }
    }
    /// The receiver's `Object` downcast, if it is that native type.
    pub fn downcast<T: 'static>(&self) -> Option<&T> {
        match self {
            Value::Object(o) => o.as_any().downcast_ref::<T>(),
            _ => None,
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", crate::format::repr_plain(self))
    }
}
