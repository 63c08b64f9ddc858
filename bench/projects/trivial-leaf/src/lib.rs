pub use cfg_if::cfg_if;
