{
  description = "A server and a client; the client's tests run against the live server in a check";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";
    # Wherever you keep gantry.
    gantry.url = "github:gantry-nix/gantry";
  };

  outputs =
    {
      self,
      nixpkgs,
      gantry,
    }:
    let
      system = "x86_64-linux";
      pkgs = nixpkgs.legacyPackages.${system};
      gantryLib = gantry.mkLib pkgs;

      src = gantryLib.cleanCargoSource ./.;
      commonArgs = {
        inherit src;
        pname = "end-to-end-testing";
        version = "0.1.0";
      };
      cargoArtifacts = gantryLib.buildDepsOnly commonArgs;
      member =
        name:
        gantryLib.buildPackage (
          commonArgs
          // {
            inherit cargoArtifacts;
            pname = name;
            cargoExtraArgs = "--locked -p ${name}";
            doCheck = false;
          }
        );
      server = member "server";
      client = member "client";
    in
    {
      packages.${system} = {
        inherit server client;
      };

      checks.${system} = {
        inherit server client;
        # The client's test suite against a server started inside the build (loopback).
        client-against-server = gantryLib.cargoTest (
          commonArgs
          // {
            inherit cargoArtifacts;
            pname = "client";
            cargoTestExtraArgs = "-p client";
            preCheck = ''
              ${server}/bin/server 127.0.0.1:7878 >server.log 2>&1 &
              serverPid=$!
              export SERVER_ADDR=127.0.0.1:7878
              for _ in $(seq 50); do ${client}/bin/client "$SERVER_ADDR" >/dev/null 2>&1 && break; sleep 0.1; done
            '';
            # The build ends only when every process it started has.
            postCheck = "kill $serverPid";
          }
        );
      };

      devShells.${system}.default = gantryLib.devShell { checks = self.checks.${system}; };
    };
}
