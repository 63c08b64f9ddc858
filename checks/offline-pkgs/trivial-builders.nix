# nixpkgs' trivial builders (shared/nixpkgs-slice.md §6): runCommand and friends use
# `buildCommand`, so no phases and no fixup run; text is written byte for byte.
{
  lib,
  stdenv,
  stdenvNoCC,
  runtimeShell,
  lndir,
}:

rec {
  runCommandWith =
    {
      stdenv,
      runLocal ? false,
      derivationArgs ? { },
      name,
    }:
    buildCommand:
    stdenv.mkDerivation (
      {
        enableParallelBuilding = true;
        inherit buildCommand name;
        passAsFile = [ "buildCommand" ] ++ (derivationArgs.passAsFile or [ ]);
      }
      // lib.optionalAttrs runLocal {
        preferLocalBuild = true;
        allowSubstitutes = false;
      }
      // removeAttrs derivationArgs [ "passAsFile" ]
    );

  runCommand =
    name: env:
    runCommandWith {
      stdenv = stdenvNoCC;
      runLocal = false;
      inherit name;
      derivationArgs = env;
    };

  runCommandLocal =
    name: env:
    runCommandWith {
      stdenv = stdenvNoCC;
      runLocal = true;
      inherit name;
      derivationArgs = env;
    };

  runCommandCC =
    name: env:
    runCommandWith {
      stdenv = stdenv;
      runLocal = false;
      inherit name;
      derivationArgs = env;
    };

  writeTextFile =
    {
      name,
      text,
      executable ? false,
      destination ? "",
      checkPhase ? "",
      meta ? { },
      passthru ? { },
      allowSubstitutes ? false,
      preferLocalBuild ? true,
      derivationArgs ? { },
    }:
    assert lib.assertMsg (destination != "" -> (lib.hasPrefix "/" destination && destination != "/"))
      "destination must be an absolute path, relative to the derivation's out path, got '${destination}' instead.";
    runCommand name
      (
        {
          inherit
            text
            executable
            checkPhase
            allowSubstitutes
            preferLocalBuild
            ;
          passAsFile = [ "text" ] ++ (derivationArgs.passAsFile or [ ]);
          meta =
            lib.optionalAttrs (executable && destination != "" && lib.hasPrefix "/bin/" destination) {
              mainProgram = lib.removePrefix "/bin/" destination;
            }
            // meta;
          inherit passthru;
        }
        // removeAttrs derivationArgs [ "passAsFile" ]
      )
      ''
        target=$out${lib.escapeShellArg destination}
        mkdir -p "$(dirname "$target")"
        if [ -e "$textPath" ]; then
          mv "$textPath" "$target"
        else
          printf '%s' "$text" > "$target"
        fi
        if [ -n "$executable" ]; then
          chmod +x "$target"
        fi
        eval "$checkPhase"
      '';

  writeText = name: text: writeTextFile { inherit name text; };

  writeTextDir =
    path: text:
    writeTextFile {
      inherit text;
      name = builtins.baseNameOf path;
      destination = "/${path}";
    };

  writeScript =
    name: text:
    writeTextFile {
      inherit name text;
      executable = true;
    };

  writeScriptBin =
    name: text:
    writeTextFile {
      inherit name text;
      executable = true;
      destination = "/bin/${name}";
    };

  writeShellScript = name: text: writeShellScriptWith { inherit name text; };

  writeShellScriptBin =
    name: text:
    writeShellScriptWith {
      inherit name text;
      destination = "/bin/${name}";
      meta.mainProgram = name;
    };

  # A bash script, syntax-checked at build time like nixpkgs' writeShellScript(Bin).
  writeShellScriptWith =
    { text, ... }@args:
    writeTextFile (
      args
      // {
        executable = true;
        text = ''
          #!${runtimeShell}
          ${text}
        '';
        checkPhase = ''
          ${stdenv.shellDryRun} "$target"
        '';
      }
    );

  # entries: a list of { name; path; } or an attribute set name -> path.
  linkFarm =
    name: entries:
    let
      entryList =
        if builtins.isList entries then
          entries
        else
          lib.mapAttrsToList (name: path: { inherit name path; }) entries;
      linkCommands = lib.concatMapStrings (e: ''
        mkdir -p -- "$(dirname -- ${lib.escapeShellArg "${e.name}"})"
        ln -s -- ${lib.escapeShellArg "${e.path}"} ${lib.escapeShellArg "${e.name}"}
      '') entryList;
    in
    runCommand name
      {
        preferLocalBuild = true;
        allowSubstitutes = false;
        passthru.entries = entries;
      }
      ''
        mkdir -p $out
        cd $out
        ${linkCommands}
      '';

  symlinkJoin =
    args@{
      name,
      paths,
      preferLocalBuild ? true,
      allowSubstitutes ? false,
      postBuild ? "",
      ...
    }:
    runCommand name
      (
        removeAttrs args [ "name" "postBuild" ]
        // {
          inherit preferLocalBuild allowSubstitutes;
          paths = map toString paths;
          passAsFile = [ "paths" ];
        }
      )
      ''
        mkdir -p $out
        for i in $(cat $pathsPath); do
          ${lndir}/bin/lndir -silent $i $out
        done
        ${postBuild}
      '';

  makeSetupHook =
    {
      name ? lib.warn "calling makeSetupHook without passing a name is deprecated." "hook",
      propagatedBuildInputs ? [ ],
      depsTargetTargetPropagated ? [ ],
      meta ? { },
      passthru ? { },
      substitutions ? { },
    }:
    script:
    runCommand name
      (
        substitutions
        // {
          inherit meta depsTargetTargetPropagated propagatedBuildInputs;
          strictDeps = true;
          passthru = passthru // lib.optionalAttrs (substitutions ? passthru) substitutions.passthru;
        }
      )
      (
        ''
          mkdir -p $out/nix-support
          cp ${script} $out/nix-support/setup-hook
          recordPropagatedDependencies
        ''
        + lib.optionalString (substitutions != { }) ''
          substituteAll ${script} $out/nix-support/setup-hook
        ''
      );

  # replaceVars src { k = v; }: every @k@ replaced (--replace-fail); a remaining
  # @identifier@ fails unless its key is given as null.
  replaceVars =
    src: replacements:
    let
      given = lib.filterAttrs (_: v: v != null) replacements;
      exempt = builtins.attrNames (lib.filterAttrs (_: v: v == null) replacements);
      args = lib.concatStringsSep " " (
        lib.mapAttrsToList (k: v: "--replace-fail ${lib.escapeShellArg "@${k}@"} ${lib.escapeShellArg v}") given
      );
      dropExempt =
        if exempt == [ ] then "cat" else "grep -vxF" + lib.concatMapStrings (k: " -e ${lib.escapeShellArg "@${k}@"}") exempt;
    in
    runCommand (builtins.baseNameOf (toString src)) { } ''
      substitute ${src} $out ${args}
      remaining=$(grep -oE '@[a-zA-Z_][0-9A-Za-z_-]*@' $out | { ${dropExempt} || true; })
      if [ -n "$remaining" ]; then
        echo "replaceVars: patterns not replaced in ${toString src}: $remaining" >&2
        exit 1
      fi
    '';
}
