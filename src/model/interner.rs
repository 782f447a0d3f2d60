//! String interning, so that a million relations share a handful of kind and
//! label strings instead of allocating one each.

use super::FastMap;

/// A handle to an interned string. `Symbol::NONE` stands for "no value".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Symbol(u32);

impl Symbol {
    /// The absent value (a NULL label, say), without the cost of `Option`.
    pub const NONE: Self = Self(u32::MAX);

    pub fn is_none(self) -> bool {
        self == Self::NONE
    }

    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The symbol at `index` of its interner (for tables indexed by symbol).
    pub fn from_index(index: usize) -> Self {
        Self(index as u32)
    }
}

/// Deduplicated strings; looking up an existing string allocates nothing.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    lookup: FastMap<Box<str>, Symbol>,
    strings: Vec<Box<str>>,
}

impl Interner {
    pub fn intern(&mut self, text: &str) -> Symbol {
        if let Some(&symbol) = self.lookup.get(text) {
            return symbol;
        }
        let symbol = Symbol(self.strings.len() as u32);
        self.strings.push(text.into());
        self.lookup.insert(text.into(), symbol);
        symbol
    }

    /// Like [`Self::intern`], but first compares with `hint`, the symbol the
    /// same column had in the previous row: rows often repeat it, and a
    /// string compare is cheaper than a hash.
    pub fn intern_with_hint(&mut self, text: &str, hint: &mut Symbol) -> Symbol {
        if !hint.is_none() && *self.strings[hint.index()] == *text {
            return *hint;
        }
        *hint = self.intern(text);
        *hint
    }

    /// The text of `symbol`; empty for `Symbol::NONE`.
    pub fn resolve(&self, symbol: Symbol) -> &str {
        self.strings.get(symbol.index()).map_or("", |text| text)
    }

    pub fn len(&self) -> usize {
        self.strings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }

    /// Bytes held, for the memory report.
    pub fn heap_bytes(&self) -> usize {
        self.strings.iter().map(|text| 2 * text.len() + 48).sum()
    }
}

/// Many short strings in one buffer: one allocation for all entity names.
#[derive(Debug, Default, Clone)]
pub struct StringArena {
    text: String,
    ends: Vec<u32>,
}

impl StringArena {
    pub fn push(&mut self, value: &str) -> usize {
        self.text.push_str(value);
        self.ends.push(self.text.len() as u32);
        self.ends.len() - 1
    }

    pub fn get(&self, index: usize) -> &str {
        let Some(&end) = self.ends.get(index) else {
            return "";
        };
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        &self.text[start as usize..end as usize]
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn heap_bytes(&self) -> usize {
        self.text.capacity() + self.ends.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_the_same_text_twice_gives_the_same_symbol() {
        let mut interner = Interner::default();
        let a = interner.intern("met_with");
        let b = interner.intern("leads");
        assert_eq!(interner.intern("met_with"), a);
        assert_ne!(a, b);
        assert_eq!(interner.resolve(b), "leads");
        assert_eq!(interner.resolve(Symbol::NONE), "");
        assert_eq!(interner.len(), 2);
    }

    #[test]
    fn arena_returns_each_pushed_string() {
        let mut arena = StringArena::default();
        arena.push("Zhirnov");
        arena.push("");
        arena.push("Haqqani");
        assert_eq!(arena.get(0), "Zhirnov");
        assert_eq!(arena.get(1), "");
        assert_eq!(arena.get(2), "Haqqani");
        assert_eq!(arena.get(3), "");
    }
}
