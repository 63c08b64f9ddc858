cfg_if::cfg_if! {
    if #[cfg(all())] {
        const CFG_IF: &str = "taken";
    } else {
        const CFG_IF: &str = "not taken";
    }
}

fn main() {
    let numbers: smallvec::SmallVec<[u32; 4]> = smallvec::smallvec![1, 2, 3];
    println!(
        "crates.io: itoa {} ryu {} memchr {:?} smallvec {:?} cfg-if {}",
        itoa::Buffer::new().format(42),
        ryu::Buffer::new().format(1.5f64),
        memchr::memchr(b'c', b"abc"),
        numbers.as_slice(),
        CFG_IF
    );
}
