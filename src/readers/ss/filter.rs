//! Socket filters in the language `ss` users type (`dport = :443 and dst 10.0.0.0/8`), compiled
//! to `inet_diag` bytecode (`INET_DIAG_REQ_BYTECODE`) that the kernel runs on every socket of a
//! dump, so sockets that do not match are never copied to user space.
//!
//! # Language
//! Tokens are separated by white space; parentheses may also stick to their neighbours.
//!
//! - `src ADDR`, `dst ADDR`, each optionally with `=`/`==`/`eq`, or `!=`/`ne`/`neq` (negated).
//!   `ADDR` is `IPV4`, `IPV4/LEN`, `[IPV6]`, `[IPV6/LEN]`, `IPV6/LEN` (an IPv6 address without a
//!   prefix length needs brackets, since its last colon would otherwise start a port), each with
//!   an optional `:PORT`; `*` or an empty address matches any address (`*:80`, `:80`).
//! - `sport PORT`, `dport PORT` with `=`, `!=`, `<`, `>`, `<=`, `>=` or their word forms `eq`,
//!   `ne`/`neq`, `lt`, `gt`, `le`/`leq`, `ge`/`geq`; `PORT` is a number, optionally behind a colon
//!   (`:443`); `*` is any.
//! - `dev IFACE` (or `dev = IFACE`, `dev != IFACE`): sockets bound to that interface (a name,
//!   or an index).
//! - `fwmark MARK[/MASK]` (`=`, `!=`): the socket mark (the kernel asks for CAP_NET_ADMIN).
//! - `not`/`!`, `and`/`&`/`&&`, `or`/`|`/`||`, parentheses; two conditions side by side are
//!   joined by `and`.
//!
//! As in `ss`, `and` and `or` bind equally and from the left: `a or b and c` is `(a or b) and c`;
//! `not` applies to the condition or parenthesis right after it. An IPv4 condition also matches
//! IPv4-mapped IPv6 sockets (`::ffff:a.b.c.d`), as the kernel (and `ss`) does.
//!
//! Differences from `ss`: host and service names are not resolved (addresses and ports are
//! numeric); `src`/`dst` also take `!=`; `cgroup` and `autobound` are not supported (ss
//! narrows the kernel's `autobound` test by the local port range in user space).
//!
//! # Bytecode
//! A program is a sequence of operations (`struct inet_diag_bc_op`: code, `yes`, `no`), each a
//! condition followed by its operands. The kernel starts at the first operation and moves `yes`
//! bytes ahead when the condition holds, `no` bytes when it does not (`INET_DIAG_BC_JMP` always
//! takes `no`). A socket matches when the walk ends exactly at the end of the program, and not
//! when it jumps beyond it. Every fragment compiled here follows one convention: it ends at its
//! own end when the socket matches and jumps to four bytes past its end when it does not, so
//! fragments join: `a and b` is `a` then `b`, with `a`'s rejections moved past `b`; `a or b` is
//! `a`, a jump over `b`, then `b`; `not a` is `a` then a jump that turns its success into a
//! rejection.

use std::fmt;
use std::net::IpAddr;

use crate::uapi::inet_diag_bc as bc;

/// Longest interface name, in bytes (`IFNAMSIZ` less the terminating NUL).
const MAX_IFNAME: usize = 15;

/// A parsed filter expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// Every one holds (at least two).
    All(Vec<Expr>),
    /// At least one holds (at least two).
    Any(Vec<Expr>),
    /// It does not hold.
    Not(Box<Expr>),
    /// The local (`src`) or remote (`dst`) end is in a prefix and/or has a port.
    Host(End, HostCond),
    /// The local or remote port compares to a number.
    Port(End, Compare, u16),
    /// The socket is bound to this interface.
    Dev(Device),
    /// `(mark & mask) == mark`.
    Mark {
        /// The value.
        mark: u32,
        /// The bits compared.
        mask: u32,
    },
}

/// Which end of a socket a condition is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The local end (`src`, `sport`).
    Local,
    /// The remote end (`dst`, `dport`).
    Remote,
}

/// A port comparison the kernel evaluates directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    /// `>=`
    AtLeast,
    /// `<=`
    AtMost,
}

/// An address condition: a prefix (none: any address) and a port (none: any port).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostCond {
    /// The address and its prefix length in bits.
    pub prefix: Option<(IpAddr, u8)>,
    /// The port.
    pub port: Option<u16>,
}

/// An interface, by name (resolved when the filter is compiled) or by index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Device {
    /// A name.
    Name(String),
    /// An index.
    Index(u32),
}

/// A filter that cannot be parsed or compiled, naming the offending token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError(pub String);

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FilterError {}

/// A filter as typed and as parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// The expression as given.
    pub text: String,
    /// The parsed expression.
    pub expr: Expr,
}

/// Parse a filter expression.
pub fn parse(text: &str) -> Result<Filter, FilterError> {
    let tokens = tokens(text);
    if tokens.is_empty() {
        return Err(FilterError("the filter is empty".into()));
    }
    let mut p = Parser {
        tokens,
        at: 0,
        depth: 0,
    };
    let expr = p.list()?;
    if let Some(t) = p.peek() {
        return Err(FilterError(format!("unexpected `{t}` (no `(` to close)")));
    }
    Ok(Filter {
        text: text.to_owned(),
        expr,
    })
}

/// Split at white space, with parentheses as tokens of their own.
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in text.split_whitespace() {
        let mut word = word;
        while let Some(rest) = word.strip_prefix('(') {
            out.push("(".to_owned());
            word = rest;
        }
        let mut closing = 0;
        while let Some(rest) = word.strip_suffix(')') {
            closing += 1;
            word = rest;
        }
        if !word.is_empty() {
            out.push(word.to_owned());
        }
        out.extend(std::iter::repeat_n(")".to_owned(), closing));
    }
    out
}

/// Operators a condition keyword can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
}

fn op(token: &str) -> Option<Op> {
    Some(match token {
        "=" | "==" | "eq" => Op::Eq,
        "!=" | "ne" | "neq" => Op::Ne,
        "<" | "lt" => Op::Lt,
        ">" | "gt" => Op::Gt,
        "<=" | "le" | "leq" => Op::Le,
        ">=" | "ge" | "geq" => Op::Ge,
        _ => return None,
    })
}

fn is_keyword(token: &str) -> bool {
    matches!(
        token,
        "(" | ")"
            | "!"
            | "not"
            | "&"
            | "&&"
            | "and"
            | "|"
            | "||"
            | "or"
            | "src"
            | "dst"
            | "sport"
            | "dport"
            | "dev"
            | "fwmark"
            | "autobound"
            | "cgroup"
    ) || op(token).is_some()
}

struct Parser {
    tokens: Vec<String>,
    at: usize,
    /// Parentheses and negations open around the current token.
    depth: usize,
}

/// Deepest nesting of parentheses and negations taken.
const MAX_DEPTH: usize = 100;

/// `left` joined with `right`, extending `left` when it is already a chain of the same kind.
fn join(left: Expr, right: Expr, all: bool) -> Expr {
    match (left, all) {
        (Expr::All(mut v), true) => {
            v.push(right);
            Expr::All(v)
        }
        (Expr::Any(mut v), false) => {
            v.push(right);
            Expr::Any(v)
        }
        (left, true) => Expr::All(vec![left, right]),
        (left, false) => Expr::Any(vec![left, right]),
    }
}

impl Parser {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.at).map(String::as_str)
    }

    fn next(&mut self) -> Option<String> {
        let t = self.tokens.get(self.at).cloned();
        self.at += usize::from(t.is_some());
        t
    }

    /// Conditions joined by `and`, `or` or nothing (`and`), from the left, up to `)` or the end.
    fn list(&mut self) -> Result<Expr, FilterError> {
        let mut left = self.expr()?;
        loop {
            match self.peek() {
                None | Some(")") => return Ok(left),
                Some("&" | "&&" | "and") => {
                    self.at += 1;
                    left = join(left, self.expr()?, true);
                }
                Some("|" | "||" | "or") => {
                    self.at += 1;
                    left = join(left, self.expr()?, false);
                }
                Some(_) => left = join(left, self.expr()?, true),
            }
        }
    }

    /// One condition, a negation or a parenthesis.
    fn expr(&mut self) -> Result<Expr, FilterError> {
        let Some(token) = self.next() else {
            return Err(FilterError(
                "the filter ends where a condition is expected".into(),
            ));
        };
        if matches!(token.as_str(), "(" | "!" | "not") {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return Err(FilterError(format!(
                    "the filter nests parentheses and negations deeper than {MAX_DEPTH}"
                )));
            }
        }
        match token.as_str() {
            "(" => {
                let inner = self.list()?;
                self.depth -= 1;
                match self.next().as_deref() {
                    Some(")") => Ok(inner),
                    _ => Err(FilterError("`(` is never closed".into())),
                }
            }
            "!" | "not" => {
                let inner = self.expr()?;
                self.depth -= 1;
                Ok(Expr::Not(Box::new(inner)))
            }
            "src" | "dst" => {
                let end = if token == "src" {
                    End::Local
                } else {
                    End::Remote
                };
                let negate = self.equality(&token)?;
                let value = self.value(&token)?;
                let e = Expr::Host(end, host_cond(&value)?);
                Ok(if negate { Expr::Not(Box::new(e)) } else { e })
            }
            "sport" | "dport" => {
                let end = if token == "sport" {
                    End::Local
                } else {
                    End::Remote
                };
                let op = self.operator().unwrap_or(Op::Eq);
                let value = self.value(&token)?;
                let port = port_value(&value)?;
                let Some(port) = port else {
                    // `*`: any port. Comparisons with "any" make no sense.
                    return match op {
                        Op::Eq => Ok(Expr::Host(
                            end,
                            HostCond {
                                prefix: None,
                                port: None,
                            },
                        )),
                        Op::Ne => Ok(Expr::Not(Box::new(Expr::Host(
                            end,
                            HostCond {
                                prefix: None,
                                port: None,
                            },
                        )))),
                        _ => Err(FilterError(format!(
                            "`{token}` compares with a port number, not `{value}`"
                        ))),
                    };
                };
                let not = |e| Expr::Not(Box::new(e));
                let eq = Expr::Host(
                    end,
                    HostCond {
                        prefix: None,
                        port: Some(port),
                    },
                );
                Ok(match op {
                    Op::Eq => eq,
                    Op::Ne => not(eq),
                    Op::Ge => Expr::Port(end, Compare::AtLeast, port),
                    Op::Le => Expr::Port(end, Compare::AtMost, port),
                    Op::Gt => not(Expr::Port(end, Compare::AtMost, port)),
                    Op::Lt => not(Expr::Port(end, Compare::AtLeast, port)),
                })
            }
            "dev" => {
                let negate = self.equality(&token)?;
                let value = self.value(&token)?;
                let device = match value.parse::<u32>() {
                    Ok(index) => Device::Index(index),
                    Err(_) if value.len() <= MAX_IFNAME => Device::Name(value),
                    Err(_) => {
                        return Err(FilterError(format!(
                            "`{value}` is no interface name (at most {} bytes)",
                            MAX_IFNAME
                        )));
                    }
                };
                let e = Expr::Dev(device);
                Ok(if negate { Expr::Not(Box::new(e)) } else { e })
            }
            "fwmark" => {
                let negate = self.equality(&token)?;
                let value = self.value(&token)?;
                let (mark, mask) = match value.split_once('/') {
                    Some((m, k)) => (number(m), number(k)),
                    None => (number(&value), Some(u32::MAX)),
                };
                let (Some(mark), Some(mask)) = (mark, mask) else {
                    return Err(FilterError(format!(
                        "`{value}` is no mark (MARK or MARK/MASK, decimal or 0x hex)"
                    )));
                };
                let e = Expr::Mark { mark, mask };
                Ok(if negate { Expr::Not(Box::new(e)) } else { e })
            }
            "autobound" | "cgroup" => Err(FilterError(format!(
                "`{token}` conditions are not supported"
            ))),
            ")" => Err(FilterError("unexpected `)`".into())),
            t if op(t).is_some() || is_keyword(t) => Err(FilterError(format!(
                "unexpected `{t}` where a condition is expected"
            ))),
            t => Err(FilterError(format!(
                "`{t}` is not a condition (src, dst, sport, dport, dev, fwmark)"
            ))),
        }
    }

    /// An optional comparison operator.
    fn operator(&mut self) -> Option<Op> {
        let found = self.peek().and_then(op);
        self.at += usize::from(found.is_some());
        found
    }

    /// An optional `=` or `!=` after `keyword`: whether it is negated.
    fn equality(&mut self, keyword: &str) -> Result<bool, FilterError> {
        match self.operator() {
            None | Some(Op::Eq) => Ok(false),
            Some(Op::Ne) => Ok(true),
            Some(_) => Err(FilterError(format!(
                "`{keyword}` takes `=` or `!=`, not `{}`",
                self.tokens[self.at - 1]
            ))),
        }
    }

    /// The operand after `keyword` (and its operator).
    fn value(&mut self, keyword: &str) -> Result<String, FilterError> {
        match self.next() {
            Some(t) if !is_keyword(&t) => Ok(t),
            Some(t) => Err(FilterError(format!(
                "`{keyword}` needs a value, found `{t}`"
            ))),
            None => Err(FilterError(format!("`{keyword}` needs a value"))),
        }
    }
}

/// A number, decimal or `0x` hexadecimal.
fn number(s: &str) -> Option<u32> {
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

/// A port operand: `443`, `:443`, `*` or `:*` (any: `None`).
fn port_value(value: &str) -> Result<Option<u16>, FilterError> {
    let p = value.strip_prefix(':').unwrap_or(value);
    if p == "*" {
        return Ok(None);
    }
    p.parse::<u16>().map(Some).map_err(|_| {
        FilterError(format!(
            "`{value}` is not a port (a number from 0 to 65535; service names are not looked up)"
        ))
    })
}

/// An address operand of `src`/`dst`.
fn host_cond(value: &str) -> Result<HostCond, FilterError> {
    let bad = || {
        FilterError(format!(
            "`{value}` is not an address (IPV4[/LEN][:PORT], [IPV6[/LEN]][:PORT], IPV6/LEN, *:PORT)"
        ))
    };
    let (addr, port) = if let Some(rest) = value.strip_prefix('[') {
        let (inside, after) = rest.split_once(']').ok_or_else(bad)?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':').ok_or_else(bad)?),
        };
        (inside, port)
    } else if let Some(rest) = value.strip_prefix('*') {
        match rest {
            "" => ("", None),
            p => ("", Some(p.strip_prefix(':').ok_or_else(bad)?)),
        }
    } else {
        // The port is after the last colon past the prefix length's slash, if any; an IPv6
        // address without a slash therefore needs brackets.
        let from = value.find('/').unwrap_or(0);
        match value[from..].rfind(':') {
            Some(i) => (&value[..from + i], Some(&value[from + i + 1..])),
            None => (value, None),
        }
    };
    let port = match port {
        None | Some("") | Some("*") => None,
        Some(p) => Some(p.parse::<u16>().map_err(|_| {
            FilterError(format!(
                "`{p}` in `{value}` is not a port (a number; service names are not looked up)"
            ))
        })?),
    };
    if addr.is_empty() || addr == "*" {
        return Ok(HostCond { prefix: None, port });
    }
    let (ip, len) = match addr.split_once('/') {
        Some((ip, len)) => (ip, Some(len)),
        None => (addr, None),
    };
    let ip: IpAddr = ip.parse().map_err(|_| bad())?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let len = match len {
        None => max,
        Some(l) => match l.parse::<u8>() {
            Ok(l) if l <= max => l,
            _ => {
                return Err(FilterError(format!(
                    "`{l}` in `{value}` is no prefix length (0 to {max})"
                )));
            }
        },
    };
    Ok(HostCond {
        prefix: Some((ip, len)),
        port,
    })
}

/// Longest program: jump offsets are 16 bits.
const MAX_PROGRAM: usize = u16::MAX as usize - 8;

impl Filter {
    /// The bytecode of this filter. `resolve` turns an interface name into its index (`None`:
    /// there is no such interface).
    pub fn compile(
        &self,
        resolve: &mut dyn FnMut(&str) -> Option<u32>,
    ) -> Result<Vec<u8>, FilterError> {
        let resolved = self.resolved(resolve)?;
        let program = compile(&resolved.expr)?;
        check_length(&program)?;
        Ok(program)
    }

    /// Whether it has a condition on the socket mark, which the kernel runs only for processes
    /// with CAP_NET_ADMIN.
    pub fn uses_mark(&self) -> bool {
        fn walk(e: &Expr) -> bool {
            match e {
                Expr::All(v) | Expr::Any(v) => v.iter().any(walk),
                Expr::Not(a) => walk(a),
                Expr::Mark { .. } => true,
                _ => false,
            }
        }
        walk(&self.expr)
    }
}

/// What a filter looks at in a socket, for sockets the kernel did not filter (close events).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SocketView {
    /// Local address and port.
    pub local: (IpAddr, u16),
    /// Remote address and port.
    pub peer: (IpAddr, u16),
    /// The interface the socket is bound to, 0 when none.
    pub ifindex: u32,
    /// The socket mark, when known.
    pub mark: Option<u32>,
}

/// `addr` in `net/len`; an IPv4 condition also takes an IPv4-mapped IPv6 address.
fn in_prefix(addr: IpAddr, net: IpAddr, len: u8) -> bool {
    let addr = match (addr, net) {
        (IpAddr::V6(a), IpAddr::V4(_)) => match a.to_ipv4_mapped() {
            Some(m) => IpAddr::V4(m),
            None => return false,
        },
        (a, _) => a,
    };
    match (addr, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0);
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(len)).unwrap_or(0);
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

impl Expr {
    /// Whether the socket matches, as the kernel's program would decide (interface names
    /// must be resolved first: [`Filter::resolved`]; an unresolved name matches nothing).
    pub fn matches(&self, s: &SocketView) -> bool {
        match self {
            Expr::All(v) => v.iter().all(|e| e.matches(s)),
            Expr::Any(v) => v.iter().any(|e| e.matches(s)),
            Expr::Not(a) => !a.matches(s),
            Expr::Host(end, cond) => {
                let (addr, port) = match end {
                    End::Local => s.local,
                    End::Remote => s.peer,
                };
                cond.port.is_none_or(|p| p == port)
                    && cond
                        .prefix
                        .is_none_or(|(net, len)| in_prefix(addr, net, len))
            }
            Expr::Port(end, compare, p) => {
                let port = match end {
                    End::Local => s.local.1,
                    End::Remote => s.peer.1,
                };
                match compare {
                    Compare::AtLeast => port >= *p,
                    Compare::AtMost => port <= *p,
                }
            }
            Expr::Dev(Device::Index(i)) => s.ifindex == *i,
            Expr::Dev(Device::Name(_)) => false,
            Expr::Mark { mark, mask } => s.mark.is_some_and(|m| m & mask == *mark),
        }
    }

    fn resolve(&mut self, resolve: &mut dyn FnMut(&str) -> Option<u32>) -> Result<(), FilterError> {
        match self {
            Expr::All(v) | Expr::Any(v) => {
                for e in v {
                    e.resolve(resolve)?;
                }
            }
            Expr::Not(a) => a.resolve(resolve)?,
            Expr::Dev(d @ Device::Name(_)) => {
                let Device::Name(name) = &*d else {
                    return Ok(());
                };
                let index = resolve(name)
                    .ok_or_else(|| FilterError(format!("no interface named `{name}`")))?;
                *d = Device::Index(index);
            }
            _ => {}
        }
        Ok(())
    }
}

impl Filter {
    /// The same filter with interface names replaced by their indices (`resolve`; `None`:
    /// there is no such interface).
    pub fn resolved(
        &self,
        resolve: &mut dyn FnMut(&str) -> Option<u32>,
    ) -> Result<Filter, FilterError> {
        let mut out = self.clone();
        out.expr.resolve(resolve)?;
        Ok(out)
    }
}

/// Programs longer than jump offsets reach are refused before a jump could wrap.
fn check_length(program: &[u8]) -> Result<(), FilterError> {
    if program.len() > MAX_PROGRAM {
        return Err(FilterError(format!(
            "the filter compiles to more than the {MAX_PROGRAM} bytes the kernel takes"
        )));
    }
    Ok(())
}

/// One operation header: `struct inet_diag_bc_op`.
fn push_op(out: &mut Vec<u8>, code: u8, yes: usize, no: usize) {
    out.push(code);
    out.push(yes as u8);
    out.extend_from_slice(&(no as u16).to_ne_bytes());
}

/// A condition of `len` bytes: on success move to the next operation, on failure skip four
/// bytes past it (the rejection of a fragment that ends here).
fn condition(code: u8, operands: &[u8]) -> Vec<u8> {
    let len = bc::OP_SIZE + operands.len();
    let mut out = Vec::with_capacity(len);
    push_op(&mut out, code, len, len + 4);
    out.extend_from_slice(operands);
    out
}

fn compile(e: &Expr) -> Result<Vec<u8>, FilterError> {
    Ok(match e {
        Expr::Host(end, cond) => {
            let code = match end {
                End::Local => bc::INET_DIAG_BC_S_COND,
                End::Remote => bc::INET_DIAG_BC_D_COND,
            };
            // struct inet_diag_hostcond: family, prefix_len, (pad), int port, then the address.
            let mut operands = Vec::with_capacity(bc::HOSTCOND_SIZE + 16);
            let (family, len) = match cond.prefix {
                None => (libc::AF_UNSPEC as u8, 0),
                Some((IpAddr::V4(_), len)) => (libc::AF_INET as u8, len),
                Some((IpAddr::V6(_), len)) => (libc::AF_INET6 as u8, len),
            };
            operands.extend_from_slice(&[family, len, 0, 0]);
            let port = cond.port.map_or(-1, i32::from);
            operands.extend_from_slice(&port.to_ne_bytes());
            match cond.prefix {
                Some((IpAddr::V4(a), _)) => operands.extend_from_slice(&a.octets()),
                Some((IpAddr::V6(a), _)) => operands.extend_from_slice(&a.octets()),
                None => {}
            }
            condition(code, &operands)
        }
        Expr::Port(end, compare, port) => {
            let code = match (end, compare) {
                (End::Local, Compare::AtLeast) => bc::INET_DIAG_BC_S_GE,
                (End::Local, Compare::AtMost) => bc::INET_DIAG_BC_S_LE,
                (End::Remote, Compare::AtLeast) => bc::INET_DIAG_BC_D_GE,
                (End::Remote, Compare::AtMost) => bc::INET_DIAG_BC_D_LE,
            };
            // The operand is a second operation header whose `no` field holds the port.
            let mut operands = [0u8; bc::OP_SIZE];
            operands[2..4].copy_from_slice(&port.to_ne_bytes());
            condition(code, &operands)
        }
        Expr::Dev(Device::Index(index)) => {
            condition(bc::INET_DIAG_BC_DEV_COND, &index.to_ne_bytes())
        }
        Expr::Dev(Device::Name(name)) => {
            return Err(FilterError(format!("interface `{name}` not resolved")));
        }
        Expr::Mark { mark, mask } => {
            let mut operands = [0u8; 8];
            operands[..4].copy_from_slice(&mark.to_ne_bytes());
            operands[4..].copy_from_slice(&mask.to_ne_bytes());
            condition(bc::INET_DIAG_BC_MARK_COND, &operands)
        }
        Expr::Not(a) => {
            // Success of `a` reaches the jump, which rejects; failure of `a` lands at the end.
            let mut out = compile(a)?;
            push_op(&mut out, bc::INET_DIAG_BC_JMP, bc::OP_SIZE, 8);
            out
        }
        Expr::Any(v) => {
            // `a or b`: failure of `a` lands on `b`; success reaches the jump over `b`.
            let mut out = Vec::new();
            for (i, e) in v.iter().enumerate() {
                let b = compile(e)?;
                if i > 0 {
                    push_op(&mut out, bc::INET_DIAG_BC_JMP, bc::OP_SIZE, b.len() + 4);
                }
                out.extend_from_slice(&b);
                check_length(&out)?;
            }
            out
        }
        Expr::All(v) => {
            // `a and b`: success of `a` falls into `b`; failures of `a` now skip `b` as well.
            let mut out = Vec::new();
            for e in v {
                let b = compile(e)?;
                retarget_rejections(&mut out, b.len());
                out.extend_from_slice(&b);
                check_length(&out)?;
            }
            out
        }
    })
}

/// Move every jump of a fragment that rejects (lands four bytes past its end) `by` bytes
/// further.
fn retarget_rejections(fragment: &mut [u8], by: usize) {
    let end = fragment.len();
    let mut at = 0;
    while at + bc::OP_SIZE <= end {
        let yes = usize::from(fragment[at + 1]);
        let no = usize::from(u16::from_ne_bytes([fragment[at + 2], fragment[at + 3]]));
        if at + no == end + 4 {
            let moved = (no + by) as u16;
            fragment[at + 2..at + 4].copy_from_slice(&moved.to_ne_bytes());
        }
        if yes == 0 {
            break;
        }
        at += yes;
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::All(v) | Expr::Any(v) => {
                let word = if matches!(self, Expr::All(_)) {
                    " and "
                } else {
                    " or "
                };
                f.write_str("(")?;
                for (i, e) in v.iter().enumerate() {
                    if i > 0 {
                        f.write_str(word)?;
                    }
                    write!(f, "{e}")?;
                }
                f.write_str(")")
            }
            Expr::Not(a) => write!(f, "not {a}"),
            Expr::Host(end, cond) => {
                let word = match end {
                    End::Local => "src",
                    End::Remote => "dst",
                };
                write!(f, "{word} ")?;
                match cond.prefix {
                    Some((IpAddr::V4(a), len)) => write!(f, "{a}/{len}")?,
                    Some((IpAddr::V6(a), len)) => write!(f, "[{a}/{len}]")?,
                    None => f.write_str("*")?,
                }
                match cond.port {
                    Some(p) => write!(f, ":{p}"),
                    None => Ok(()),
                }
            }
            Expr::Port(end, compare, port) => {
                let word = match end {
                    End::Local => "sport",
                    End::Remote => "dport",
                };
                let op = match compare {
                    Compare::AtLeast => ">=",
                    Compare::AtMost => "<=",
                };
                write!(f, "{word} {op} {port}")
            }
            Expr::Dev(Device::Name(n)) => write!(f, "dev {n}"),
            Expr::Dev(Device::Index(i)) => write!(f, "dev {i}"),
            Expr::Mark { mark, mask } => write!(f, "fwmark {mark:#x}/{mask:#x}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    /// What the kernel knows of a socket when it runs a filter.
    #[derive(Debug, Clone)]
    struct Sock {
        v6: bool,
        src: [u8; 16],
        dst: [u8; 16],
        sport: u16,
        dport: u16,
        ifindex: u32,
        mark: u32,
    }

    fn bits_match(a: &[u8], b: &[u8], bits: u8) -> bool {
        let whole = usize::from(bits / 8);
        if a[..whole] != b[..whole] {
            return false;
        }
        let rest = bits % 8;
        rest == 0 || (a[whole] ^ b[whole]) >> (8 - rest) == 0
    }

    /// The kernel's checks of a program before it runs it (`inet_diag_bc_audit`): every
    /// operation long enough, every jump forward to an operation boundary or to the rejection
    /// point four bytes past the end.
    fn audit(p: &[u8]) -> Result<(), String> {
        let boundaries = {
            let mut b = vec![];
            let mut at = 0;
            while at < p.len() {
                b.push(at);
                let yes = usize::from(p[at + 1]);
                if yes < 4 || yes % 4 != 0 {
                    return Err(format!("bad yes {yes} at {at}"));
                }
                at += yes;
            }
            if at != p.len() {
                return Err("operations overrun the program".into());
            }
            b
        };
        for &at in &boundaries {
            let no = usize::from(u16::from_ne_bytes([p[at + 2], p[at + 3]]));
            let target = at + no;
            if no < 4 || no % 4 != 0 || target > p.len() + 4 {
                return Err(format!("bad no {no} at {at}"));
            }
            if target < p.len() && !boundaries.contains(&target) {
                return Err(format!("jump from {at} into an operation ({target})"));
            }
        }
        Ok(())
    }

    /// The kernel's interpreter (`inet_diag_bc_run`), as documented by its source.
    fn run(p: &[u8], s: &Sock) -> bool {
        let mut at = 0usize;
        while at < p.len() {
            let code = p[at];
            let yes_len = usize::from(p[at + 1]);
            let no_len = usize::from(u16::from_ne_bytes([p[at + 2], p[at + 3]]));
            let operand = |i: usize| p[at + 4 + i];
            let u16_at = |i: usize| u16::from_ne_bytes([p[at + 4 + i], p[at + 5 + i]]);
            let u32_at = |i: usize| {
                u32::from_ne_bytes([operand(i), operand(i + 1), operand(i + 2), operand(i + 3)])
            };
            let yes = match code {
                bc::INET_DIAG_BC_JMP => false,
                bc::INET_DIAG_BC_S_GE => s.sport >= u16_at(2),
                bc::INET_DIAG_BC_S_LE => s.sport <= u16_at(2),
                bc::INET_DIAG_BC_D_GE => s.dport >= u16_at(2),
                bc::INET_DIAG_BC_D_LE => s.dport <= u16_at(2),
                bc::INET_DIAG_BC_DEV_COND => u32_at(0) == s.ifindex,
                bc::INET_DIAG_BC_MARK_COND => s.mark & u32_at(4) == u32_at(0),
                bc::INET_DIAG_BC_S_COND | bc::INET_DIAG_BC_D_COND => {
                    let local = code == bc::INET_DIAG_BC_S_COND;
                    let family = operand(0);
                    let plen = operand(1);
                    let port = u32_at(4) as i32;
                    let (addr, sport) = if local {
                        (&s.src, s.sport)
                    } else {
                        (&s.dst, s.dport)
                    };
                    let cond_addr = &p[at + 12..at + yes_len];
                    if port != -1 && port != i32::from(sport) {
                        false
                    } else if family == libc::AF_UNSPEC as u8 {
                        true
                    } else if family == libc::AF_INET as u8 && s.v6 {
                        // Only an IPv4-mapped IPv6 socket matches an IPv4 condition.
                        addr[..10] == [0; 10]
                            && addr[10..12] == [0xff, 0xff]
                            && bits_match(&addr[12..], cond_addr, plen)
                    } else if (family == libc::AF_INET6 as u8) != s.v6 {
                        false
                    } else {
                        bits_match(addr, cond_addr, plen)
                    }
                }
                other => panic!("unknown operation {other}"),
            };
            at += if yes { yes_len } else { no_len };
        }
        at == p.len()
    }

    fn addr_bytes(s: &Sock, local: bool) -> IpAddr {
        let a = if local { s.src } else { s.dst };
        if s.v6 {
            IpAddr::V6(Ipv6Addr::from(a))
        } else {
            IpAddr::V4(Ipv4Addr::new(a[0], a[1], a[2], a[3]))
        }
    }

    /// The expression's meaning, evaluated directly on a socket ([`Expr::matches`]).
    fn holds(e: &Expr, s: &Sock, index_of: &dyn Fn(&str) -> u32) -> bool {
        let f = Filter {
            text: String::new(),
            expr: e.clone(),
        };
        let resolved = f.resolved(&mut |n| Some(index_of(n))).expect("resolves");
        resolved.expr.matches(&SocketView {
            local: (addr_bytes(s, true), s.sport),
            peer: (addr_bytes(s, false), s.dport),
            ifindex: s.ifindex,
            mark: Some(s.mark),
        })
    }

    fn index_of(name: &str) -> u32 {
        match name {
            "v0" => 7,
            "lo" => 1,
            _ => 0,
        }
    }

    fn compiled(text: &str) -> (Filter, Vec<u8>) {
        let f = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let p = f
            .compile(&mut |n| Some(index_of(n)).filter(|&i| i != 0))
            .unwrap_or_else(|e| panic!("{text}: {e}"));
        audit(&p).unwrap_or_else(|e| panic!("{text}: {e}"));
        (f, p)
    }

    /// A small deterministic generator (xorshift), so failures reproduce.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn pick<T: Copy>(&mut self, from: &[T]) -> T {
            from[(self.next() % from.len() as u64) as usize]
        }
    }

    fn socket(r: &mut Rng) -> Sock {
        let v6 = r.next().is_multiple_of(2);
        let addr = |r: &mut Rng| -> [u8; 16] {
            let mut a = [0u8; 16];
            if v6 {
                match r.next() % 3 {
                    0 => a = "fd00::1".parse::<Ipv6Addr>().expect("addr").octets(),
                    1 => {
                        a = "::ffff:10.1.2.3"
                            .parse::<Ipv6Addr>()
                            .expect("addr")
                            .octets();
                        a[15] = r.pick(&[3, 200]);
                    }
                    _ => a = "fe80::2".parse::<Ipv6Addr>().expect("addr").octets(),
                }
            } else {
                a[..4].copy_from_slice(&[10, r.pick(&[1, 2]), 2, r.pick(&[3, 200])]);
            }
            a
        };
        Sock {
            v6,
            src: addr(r),
            dst: addr(r),
            sport: r.pick(&[22, 80, 443, 5201, 40000, 65535]),
            dport: r.pick(&[22, 80, 443, 5201, 40000, 0]),
            ifindex: r.pick(&[0, 1, 7]),
            mark: r.pick(&[0, 0x10, 0x11, 0xff]),
        }
    }

    const EXPRESSIONS: &[&str] = &[
        "sport = :22",
        "sport == 22",
        "sport eq :22",
        "sport != :22",
        "sport > :443",
        "sport gt 443",
        "sport < :443",
        "sport <= 443",
        "sport >= 443",
        "dport = :80",
        "dport neq :80",
        "dport ge 5201",
        "dport le :80",
        "src 10.1.2.3",
        "src 10.1.0.0/16",
        "dst 10.2.0.0/16:443",
        "dst = 10.1.2.3:80",
        "dst != 10.1.2.3",
        "src [fd00::1]",
        "dst [fd00::/16]:22",
        "src fd00::/8",
        "dst [::ffff:10.1.2.3]",
        "src *:22",
        "dst :443",
        "src inet6_none",
        "dev v0",
        "dev = 7",
        "dev != lo",
        "fwmark 0x10/0xf0",
        "fwmark != 17",
        "! sport = :22",
        "sport = :22 or sport = :80",
        "sport = :22 and dport = :80",
        "sport = :22 dport = :80",
        "( sport = :22 or sport = :80 ) and dst 10.1.0.0/16",
        "(sport = :22 or sport = :80) and not (dst 10.1.0.0/16 or dev v0)",
        "sport = :22 or sport = :80 and dport = :443",
        "not ( not sport < :1000 or ! dport > 100 ) || src 10.2.2.200",
        "dport >= :1024 && dport <= :65535 && ! src 10.1.2.3/32",
        "((((sport = :22))))",
        "src 10.0.0.0/8 or src [fe80::/10] or src [fd00::/8]:22",
    ];

    #[test]
    fn compiled_programs_pass_the_kernels_audit_and_mean_what_they_say() {
        let mut r = Rng(0x9e37_79b9_7f4a_7c15);
        let sockets: Vec<Sock> = (0..3000).map(|_| socket(&mut r)).collect();
        for text in EXPRESSIONS {
            if *text == "src inet6_none" {
                assert!(parse(text).is_err());
                continue;
            }
            let (f, p) = compiled(text);
            let mut matched = 0;
            for s in &sockets {
                let want = holds(&f.expr, s, &index_of);
                assert_eq!(run(&p, s), want, "{text} ({}) on {s:?}", f.expr);
                matched += usize::from(want);
            }
            // Each expression selects some sockets and leaves others, so it was really tested.
            assert!(
                0 < matched && matched < sockets.len(),
                "{text}: {matched} of {}",
                sockets.len()
            );
        }
    }

    /// Random expressions: parse what the printer writes, compile, audit, and agree with the
    /// direct meaning.
    #[test]
    fn random_expressions_compile_to_what_they_mean() {
        let mut r = Rng(0x2545_f491_4f6c_dd1d);
        let sockets: Vec<Sock> = (0..300).map(|_| socket(&mut r)).collect();
        fn random_expr(r: &mut Rng, depth: u32) -> String {
            let leaf = [
                "sport = :22",
                "dport > 443",
                "sport <= :5201",
                "dst 10.1.0.0/16",
                "src [fd00::/16]:443",
                "dst [::ffff:10.1.2.200]",
                "dev v0",
                "fwmark 0x11",
                "src *:80",
            ];
            if depth == 0 || r.next().is_multiple_of(3) {
                return r.pick(&leaf).to_owned();
            }
            match r.next() % 4 {
                0 => format!("not {}", random_expr(r, depth - 1)),
                1 => format!(
                    "( {} or {} )",
                    random_expr(r, depth - 1),
                    random_expr(r, depth - 1)
                ),
                2 => format!(
                    "( {} and {} )",
                    random_expr(r, depth - 1),
                    random_expr(r, depth - 1)
                ),
                _ => format!(
                    "( {} {} )",
                    random_expr(r, depth - 1),
                    random_expr(r, depth - 1)
                ),
            }
        }
        for _ in 0..400 {
            let text = random_expr(&mut r, 5);
            let (f, p) = compiled(&text);
            for s in &sockets {
                assert_eq!(run(&p, s), holds(&f.expr, s, &index_of), "{text} on {s:?}");
            }
        }
    }

    fn host(end: End, prefix: Option<(&str, u8)>, port: Option<u16>) -> Expr {
        Expr::Host(
            end,
            HostCond {
                prefix: prefix.map(|(a, l)| (a.parse().expect("test address"), l)),
                port,
            },
        )
    }

    fn not(e: Expr) -> Expr {
        Expr::Not(Box::new(e))
    }

    #[test]
    fn each_rule_parses_to_its_meaning() {
        let p = |t: &str| parse(t).unwrap_or_else(|e| panic!("{t}: {e}")).expr;
        let and = |a, b| Expr::All(vec![a, b]);
        let or = |a, b| Expr::Any(vec![a, b]);
        let sp22 = || host(End::Local, None, Some(22));
        let dp80 = || host(End::Remote, None, Some(80));
        // Ports and their operators, symbols and words.
        for t in [
            "sport = :22",
            "sport == 22",
            "sport eq :22",
            "sport :22",
            "sport 22",
        ] {
            assert_eq!(p(t), sp22(), "{t}");
        }
        for t in ["sport != :22", "sport ne 22", "sport neq :22"] {
            assert_eq!(p(t), not(sp22()), "{t}");
        }
        let ge = |end, port| Expr::Port(end, Compare::AtLeast, port);
        let le = |end, port| Expr::Port(end, Compare::AtMost, port);
        assert_eq!(p("sport >= 1024"), ge(End::Local, 1024));
        assert_eq!(p("sport geq :1024"), ge(End::Local, 1024));
        assert_eq!(p("dport ge :1024"), ge(End::Remote, 1024));
        assert_eq!(p("dport <= 1024"), le(End::Remote, 1024));
        assert_eq!(p("dport le 1024"), le(End::Remote, 1024));
        assert_eq!(p("dport leq 1024"), le(End::Remote, 1024));
        assert_eq!(p("dport > 1024"), not(le(End::Remote, 1024)));
        assert_eq!(p("dport gt 1024"), not(le(End::Remote, 1024)));
        assert_eq!(p("sport < 1024"), not(ge(End::Local, 1024)));
        assert_eq!(p("sport lt 1024"), not(ge(End::Local, 1024)));
        assert_eq!(p("sport = *"), host(End::Local, None, None));
        // Addresses.
        assert_eq!(
            p("dst 10.0.0.1"),
            host(End::Remote, Some(("10.0.0.1", 32)), None)
        );
        assert_eq!(
            p("dst = 10.0.0.0/8"),
            host(End::Remote, Some(("10.0.0.0", 8)), None)
        );
        assert_eq!(
            p("src 10.0.0.0/8:443"),
            host(End::Local, Some(("10.0.0.0", 8)), Some(443))
        );
        assert_eq!(
            p("src 10.0.0.1:443"),
            host(End::Local, Some(("10.0.0.1", 32)), Some(443))
        );
        assert_eq!(p("src [::1]"), host(End::Local, Some(("::1", 128)), None));
        assert_eq!(
            p("src [fd00::/16]:80"),
            host(End::Local, Some(("fd00::", 16)), Some(80))
        );
        assert_eq!(
            p("src fd00::/16"),
            host(End::Local, Some(("fd00::", 16)), None)
        );
        assert_eq!(
            p("dst [::10.60.0.1]:5201"),
            host(End::Remote, Some(("::10.60.0.1", 128)), Some(5201))
        );
        assert_eq!(p("dst *:80"), host(End::Remote, None, Some(80)));
        assert_eq!(p("dst :80"), host(End::Remote, None, Some(80)));
        assert_eq!(p("dst *"), host(End::Remote, None, None));
        assert_eq!(
            p("dst != 10.0.0.1"),
            not(host(End::Remote, Some(("10.0.0.1", 32)), None))
        );
        // Interfaces and marks.
        assert_eq!(p("dev v0"), Expr::Dev(Device::Name("v0".into())));
        assert_eq!(p("dev = 3"), Expr::Dev(Device::Index(3)));
        assert_eq!(p("dev != v0"), not(Expr::Dev(Device::Name("v0".into()))));
        assert_eq!(
            p("fwmark 0x10/0xf0"),
            Expr::Mark {
                mark: 16,
                mask: 0xf0
            }
        );
        assert_eq!(
            p("fwmark = 5"),
            Expr::Mark {
                mark: 5,
                mask: u32::MAX
            }
        );
        // Connectives: equal precedence, from the left; `not` binds the next condition.
        for t in [
            "sport = :22 and dport = :80",
            "sport = :22 && dport = :80",
            "sport = :22 & dport = :80",
            "sport = :22 dport = :80",
        ] {
            assert_eq!(p(t), and(sp22(), dp80()), "{t}");
        }
        for t in [
            "sport = :22 or dport = :80",
            "sport = :22 || dport = :80",
            "sport = :22 | dport = :80",
        ] {
            assert_eq!(p(t), or(sp22(), dp80()), "{t}");
        }
        assert_eq!(
            p("sport = :22 or dport = :80 and dev = 4"),
            and(or(sp22(), dp80()), Expr::Dev(Device::Index(4)))
        );
        assert_eq!(
            p("sport = :22 or ( dport = :80 and dev = 4 )"),
            or(sp22(), and(dp80(), Expr::Dev(Device::Index(4))))
        );
        assert_eq!(
            p("not sport = :22 and dev = 4"),
            and(not(sp22()), Expr::Dev(Device::Index(4)))
        );
        assert_eq!(p("! ( sport = :22 )"), not(sp22()));
        // Parentheses stuck to their neighbours.
        assert_eq!(p("(sport = :22 or dport = :80)"), or(sp22(), dp80()));
        assert_eq!(p("((sport = :22))"), sp22());
    }

    #[test]
    fn errors_name_the_offending_token() {
        let cases = [
            ("", "the filter is empty"),
            ("   ", "the filter is empty"),
            ("sport = :ssh", "`:ssh` is not a port"),
            ("sport = 65536", "`65536` is not a port"),
            ("sport =", "`sport` needs a value"),
            ("sport = and", "`sport` needs a value, found `and`"),
            ("dst 10.0.0.256", "`10.0.0.256` is not an address"),
            ("dst ::1", "is not an address"),
            (
                "dst 10.0.0.0/33",
                "`33` in `10.0.0.0/33` is no prefix length (0 to 32)",
            ),
            (
                "dst [fd00::/129]",
                "`129` in `[fd00::/129]` is no prefix length (0 to 128)",
            ),
            ("dst [fd00::1", "`[fd00::1` is not an address"),
            (
                "dst 10.0.0.1:http",
                "`http` in `10.0.0.1:http` is not a port",
            ),
            ("dst > 10.0.0.1", "`dst` takes `=` or `!=`, not `>`"),
            ("dev >= v0", "`dev` takes `=` or `!=`, not `>=`"),
            (
                "dev averyveryverylongname",
                "`averyveryverylongname` is no interface name",
            ),
            ("fwmark x", "`x` is no mark"),
            ("fwmark < 1", "`fwmark` takes `=` or `!=`, not `<`"),
            ("sport > *", "`sport` compares with a port number, not `*`"),
            ("( sport = :22", "`(` is never closed"),
            ("sport = :22 )", "unexpected `)` (no `(` to close)"),
            (")", "unexpected `)`"),
            (
                "sport = :22 and",
                "the filter ends where a condition is expected",
            ),
            (
                "and sport = :22",
                "unexpected `and` where a condition is expected",
            ),
            ("not", "the filter ends where a condition is expected"),
            (
                "sport = :22 or or dport = :1",
                "unexpected `or` where a condition is expected",
            ),
            ("port 22", "`port` is not a condition"),
            ("cgroup /x", "`cgroup` conditions are not supported"),
            ("autobound", "`autobound` conditions are not supported"),
        ];
        for (text, want) in cases {
            match parse(text) {
                Ok(f) => panic!("{text:?} parsed as {}", f.expr),
                Err(e) => assert!(e.0.contains(want), "{text:?}: {e} (wanted {want:?})"),
            }
        }
        let unknown = parse("dev nosuch").expect("parses");
        assert_eq!(
            unknown.compile(&mut |_| None).map_err(|e| e.0),
            Err("no interface named `nosuch`".to_owned())
        );
    }

    #[test]
    fn bytes_follow_the_uapi_layout() {
        // dst 10.1.2.3/24:443 — op (code 8, yes 16, no 20), hostcond (AF_INET, 24, pad,
        // port 443), the address.
        let (_, p) = compiled("dst 10.1.2.3/24:443");
        let mut want = vec![bc::INET_DIAG_BC_D_COND, 16];
        want.extend_from_slice(&20u16.to_ne_bytes());
        want.extend_from_slice(&[libc::AF_INET as u8, 24, 0, 0]);
        want.extend_from_slice(&443i32.to_ne_bytes());
        want.extend_from_slice(&[10, 1, 2, 3]);
        assert_eq!(p, want);
        // sport >= 1024: op (code 2, yes 8, no 12), then a header whose `no` is the port.
        let (_, p) = compiled("sport >= 1024");
        let mut want = vec![bc::INET_DIAG_BC_S_GE, 8];
        want.extend_from_slice(&12u16.to_ne_bytes());
        want.extend_from_slice(&[0, 0]);
        want.extend_from_slice(&1024u16.to_ne_bytes());
        assert_eq!(p, want);
        // Any port and no address: AF_UNSPEC, port -1, no address bytes.
        let (_, p) = compiled("src *");
        assert_eq!(p[4..8], [libc::AF_UNSPEC as u8, 0, 0, 0]);
        assert_eq!(p[8..12], (-1i32).to_ne_bytes());
        assert_eq!(p.len(), 12);
        // dev: op (code 9, yes 8, no 12) and the index; fwmark: mark then mask.
        let (_, p) = compiled("dev v0");
        assert_eq!(p[..2], [bc::INET_DIAG_BC_DEV_COND, 8]);
        assert_eq!(p[4..8], 7u32.to_ne_bytes());
        let (_, p) = compiled("fwmark 0x10/0xf0");
        assert_eq!(p[..2], [bc::INET_DIAG_BC_MARK_COND, 12]);
        assert_eq!(p[4..8], 0x10u32.to_ne_bytes());
        assert_eq!(p[8..12], 0xf0u32.to_ne_bytes());
    }

    #[test]
    fn programs_too_long_for_the_kernel_are_refused() {
        let long = vec!["dst [fd00::1]"; 3000].join(" or ");
        let f = parse(&long).expect("parses");
        let e = f.compile(&mut |_| None).expect_err("too long");
        assert!(e.0.contains("bytes the kernel takes"), "{e}");
        // Long chains are fine up to that length; deep nesting is refused, never overflows.
        let chain = vec!["dport = :1"; 3000].join(" and ");
        assert!(
            parse(&chain)
                .expect("parses")
                .compile(&mut |_| None)
                .is_ok()
        );
        for deep in [
            format!("{}dev 1", "not ".repeat(5000)),
            format!("{}dev 1{}", "( ".repeat(5000), " )".repeat(5000)),
        ] {
            let e = parse(&deep).expect_err("too deep");
            assert!(e.0.contains("deeper than"), "{e}");
        }
    }

    #[test]
    fn mark_conditions_are_reported() {
        assert!(
            parse("sport = :1 or not fwmark 3")
                .expect("parses")
                .uses_mark()
        );
        assert!(!parse("sport = :1").expect("parses").uses_mark());
    }
}
