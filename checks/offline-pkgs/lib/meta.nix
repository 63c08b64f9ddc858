# Stand-in for nixpkgs lib/meta.nix.
{ lib }:

let
  inherit (builtins) isString typeOf match;
  inherit (lib.asserts) assertMsg;
in
rec {
  addMetaAttrs =
    newAttrs: drv:
    if drv ? overrideAttrs then
      drv.overrideAttrs (old: {
        meta = (old.meta or { }) // newAttrs;
      })
    else
      drv // { meta = (drv.meta or { }) // newAttrs; };

  dontDistribute = drv: addMetaAttrs { hydraPlatforms = [ ]; } drv;

  setName = name: drv: drv // { inherit name; };

  updateName = updater: drv: drv // { name = updater drv.name; };

  appendToName =
    suffix:
    updateName (
      name:
      let
        parsed = builtins.parseDrvName name;
      in
      "${parsed.name}-${suffix}-${parsed.version}"
    );

  mapDerivationAttrset = f: set: builtins.mapAttrs (_: v: if lib.attrsets.isDerivation v then f v else v) set;

  defaultPriority = 5;
  setPrio = priority: addMetaAttrs { inherit priority; };
  lowPrio = setPrio 10;
  lowPrioSet = mapDerivationAttrset lowPrio;
  hiPrio = setPrio (-10);
  hiPrioSet = mapDerivationAttrset hiPrio;

  # `elem` is a system string or an attribute pattern (possibly of `parsed`).
  platformMatch =
    platform: elem:
    if isString elem then
      platform ? system && elem == platform.system
    else
      lib.attrsets.matchAttrs (if elem ? parsed then elem else { parsed = elem; }) platform;

  availableOn =
    platform: pkg:
    (!(pkg ? meta.platforms) || builtins.any (platformMatch platform) pkg.meta.platforms)
    && builtins.all (elem: !(platformMatch platform elem)) (pkg.meta.badPlatforms or [ ]);

  licensesSpdx = lib.attrsets.mapAttrs' (_: license: {
    name = license.spdxId;
    value = license;
  }) (lib.attrsets.filterAttrs (_: license: license ? spdxId) lib.licenses);

  getLicenseFromSpdxIdOr =
    let
      byLowerId = lib.attrsets.mapAttrs' (id: license: {
        name = lib.strings.toLower id;
        value = license;
      }) licensesSpdx;
    in
    id: default: byLowerId.${lib.strings.toLower id} or default;

  getLicenseFromSpdxId =
    id:
    getLicenseFromSpdxIdOr id (
      lib.trivial.warn "getLicenseFromSpdxId: No license matches the given SPDX ID: ${id}" {
        shortName = id;
      }
    );

  # meta.mainProgram, else (with a deprecation warning) the package's name.
  getExe =
    x:
    getExe' x (
      x.meta.mainProgram or (lib.trivial.warn
        "getExe: Package ${
          lib.strings.escapeNixIdentifier x.meta.name or x.pname or x.name
        } does not have the meta.mainProgram attribute. We'll assume that the main program has the same name for now, but this behavior is deprecated, because it leads to surprising errors when the assumption does not hold. If the package has a main program, please set `meta.mainProgram` in its definition to make this warning go away. Otherwise, if the package does not have a main program, or if you don't control its definition, use getExe' to specify the name to the program, such as lib.getExe' foo \"bar\"."
        (lib.strings.getName x)
      )
    );

  getExe' =
    x: y:
    assert assertMsg (lib.attrsets.isDerivation x)
      "lib.meta.getExe': The first argument is of type ${typeOf x}, but it should be a derivation instead.";
    assert assertMsg (isString y)
      "lib.meta.getExe': The second argument is of type ${typeOf y}, but it should be a string instead.";
    assert assertMsg (match ".*/.*" y == null)
      "lib.meta.getExe': The second argument \"${y}\" is a nested path with a \"/\" character, but it should just be the name of the executable instead.";
    "${lib.attrsets.getBin x}/bin/${y}";
}
