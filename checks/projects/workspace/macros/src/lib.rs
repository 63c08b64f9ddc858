use proc_macro::TokenStream;

/// Defines `fn answer() -> u32` in the calling crate.
#[proc_macro]
pub fn answer_fn(_input: TokenStream) -> TokenStream {
    quote::quote!(
        fn answer() -> u32 {
            42
        }
    )
    .into()
}
