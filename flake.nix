{
  description = "gantry: build Cargo projects with Nix, crane's API, dependencies compiled once";

  # No inputs: gantry is bound to the caller's nixpkgs through mkLib.
  outputs =
    { self }:
    {
      # mkLib pkgs: gantry's functions for that package set (see docs/API.md).
      mkLib = pkgs: import ./lib { inherit pkgs; };

      # `nix flake init -t <gantry>#quick-start`: the examples, each a working flake.
      templates = {
        quick-start = {
          path = ./examples/quick-start;
          description = "One crate: package, app, clippy/fmt/test/doc/audit/deny checks, dev shell";
        };
        quick-start-workspace = {
          path = ./examples/quick-start-workspace;
          description = "A workspace: each member alone or all together, on one dependency build";
        };
        git-dependencies = {
          path = ./examples/git-dependencies;
          description = "Git dependencies, by branch and by rev, one pinned with outputHashes";
        };
        build-script-c-library = {
          path = ./examples/build-script-c-library;
          description = "A -sys crate: bundled C through cc, or a system library through pkg-config";
        };
        alt-registry = {
          path = ./examples/alt-registry;
          description = "A crate from an alternative registry with a sparse index";
        };
        custom-toolchain = {
          path = ./examples/custom-toolchain;
          description = "A toolchain of one's own through overrideToolchain";
        };
        end-to-end-testing = {
          path = ./examples/end-to-end-testing;
          description = "A server and a client, the client's tests run against the server in a check";
        };
        cross-aarch64 = {
          path = ./examples/cross-aarch64;
          description = "Cross compiling for aarch64 Linux, the tests and an app run under qemu";
        };
        trunk = {
          path = ./examples/trunk;
          description = "A wasm web app built by trunk (buildTrunkPackage), toolchain from rust-overlay";
        };
        default = self.templates.quick-start;
      };
    };
}
