# cleanCargoSource src: `src` reduced by lib.cleanSource (version control, editor files,
# result links) and filterCargoSources, in a store path named after the crate (so renaming the
# checkout keeps it, and the build directory has the crate's name).
{
  lib,
  filterCargoSources,
  crateNameForSource,
}:

src:
lib.cleanSourceWith {
  src = lib.cleanSource src;
  filter = filterCargoSources;
  name = crateNameForSource src;
}
