//! Prints the sum of the numbers given on the command line (or of 1 to 10).

/// The sum of `numbers`, formatted in decimal.
fn sum(numbers: &[u64]) -> String {
    itoa::Buffer::new()
        .format(numbers.iter().sum::<u64>())
        .to_owned()
}

fn main() {
    let given: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let numbers = if given.is_empty() {
        (1..=10).collect()
    } else {
        given
    };
    println!("sum: {}", sum(&numbers));
}

#[cfg(test)]
mod tests {
    #[test]
    fn sums() {
        assert_eq!(super::sum(&[1, 2, 3]), "6");
    }
}
