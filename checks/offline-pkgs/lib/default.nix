# Offline stand-in for nixpkgs `lib`: `import ./lib { }`.
#
# Reproduces the semantics of current (26.05-era) nixpkgs lib for the functions
# gantry and the offline package set use, on the builtins of the Nix versions
# gantry supports (2.18 and newer). Layout
# mirrors nixpkgs: one file per namespace (lib.strings, lib.attrsets, ...) plus
# flat re-exports (lib.optionalString, ...). Like nixpkgs, lib is built with
# makeExtensible, so `lib.extend (final: prev: { ... })` works.
{ }:

let
  # makeExtensible/fix'/extends never touch their `lib` argument.
  inherit (import ./fixed-points.nix { lib = throw "lib is not available while bootstrapping"; })
    makeExtensible
    ;

  lib = makeExtensible (
    self:
    let
      callLibs = file: import file { lib = self; };
    in
    {
      trivial = callLibs ./trivial.nix;
      fixedPoints = callLibs ./fixed-points.nix;
      attrsets = callLibs ./attrsets.nix;
      lists = callLibs ./lists.nix;
      strings = callLibs ./strings.nix;
      customisation = callLibs ./customisation.nix;
      derivations = callLibs ./derivations.nix;
      meta = callLibs ./meta.nix;
      sources = callLibs ./sources.nix;
      filesystem = callLibs ./filesystem.nix;
      fileset = callLibs ./fileset.nix;
      versions = callLibs ./versions.nix;
      asserts = callLibs ./asserts.nix;
      debug = callLibs ./debug.nix;
      misc = callLibs ./misc.nix;
      licenses = callLibs ./licenses.nix;
      platforms = callLibs ./platforms.nix;
      systems = callLibs ./systems.nix;
      maintainers = { };
      teams = { };

      # Builtins that nixpkgs re-exports at the top level (a superset: lib
      # re-exports some only through its namespaces).
      inherit (builtins)
        add
        addErrorContext
        all
        any
        attrNames
        attrValues
        catAttrs
        concatLists
        concatMap
        concatStringsSep
        deepSeq
        elem
        elemAt
        filter
        fromJSON
        genericClosure
        genList
        getAttr
        hasAttr
        head
        intersectAttrs
        isAttrs
        isBool
        isFloat
        isInt
        isList
        isPath
        isString
        length
        lessThan
        listToAttrs
        map
        mapAttrs
        match
        partition
        pathExists
        readFile
        removeAttrs
        replaceStrings
        seq
        sort
        split
        stringLength
        sub
        substring
        tail
        toJSON
        trace
        tryEval
        typeOf
        unsafeDiscardStringContext
        zipAttrsWith
        ;
      # `builtins.toString` (lib has no own toString; this keeps `lib.toString` usable).
      toString = builtins.toString;

      inherit (self.trivial)
        id
        const
        pipe
        concat
        or
        and
        xor
        bitAnd
        bitOr
        bitXor
        bitNot
        boolToString
        boolToYesNo
        mergeAttrs
        flip
        defaultTo
        mapNullable
        inNixShell
        min
        max
        importJSON
        importTOML
        warn
        warnIf
        warnIfNot
        throwIf
        throwIfNot
        checkListOfEnum
        info
        showWarnings
        version
        release
        codeName
        oldestSupportedRelease
        oldestSupportedReleaseIsAtLeast
        isInOldestRelease
        mod
        compare
        splitByAndCompare
        functionArgs
        setFunctionArgs
        isFunction
        mirrorFunctionArgs
        toFunction
        fromHexString
        toHexString
        toBaseDigits
        ;
      inherit (self.fixedPoints)
        fix
        fix'
        converge
        extends
        composeExtensions
        composeManyExtensions
        makeExtensible
        makeExtensibleWithCustomName
        toExtension
        ;
      inherit (self.attrsets)
        attrByPath
        hasAttrByPath
        setAttrByPath
        getAttrFromPath
        attrVals
        getAttrs
        filterAttrs
        filterAttrsRecursive
        foldlAttrs
        foldAttrs
        collect
        nameValuePair
        mapAttrs'
        mapAttrsToList
        attrsToList
        concatMapAttrs
        mapAttrsRecursive
        mapAttrsRecursiveCond
        mapAttrsToListRecursive
        mapAttrsToListRecursiveCond
        genAttrs
        genAttrs'
        isDerivation
        toDerivation
        optionalAttrs
        zipAttrsWithNames
        zipAttrs
        recursiveUpdateUntil
        recursiveUpdate
        matchAttrs
        mergeAttrsList
        overrideExisting
        showAttrPath
        getOutput
        getFirstOutput
        getBin
        getLib
        getStatic
        getDev
        getInclude
        getMan
        chooseDevOutputs
        recurseIntoAttrs
        dontRecurseIntoAttrs
        cartesianProduct
        mapCartesianProduct
        updateManyAttrsByPath
        unionOfDisjoint
        ;
      inherit (self.lists)
        singleton
        forEach
        foldr
        fold
        foldl
        foldl'
        imap0
        imap1
        ifilter0
        flatten
        remove
        findSingle
        findFirst
        findFirstIndex
        count
        optional
        optionals
        toList
        range
        replicate
        zipListsWith
        zipLists
        reverseList
        listDfs
        toposort
        sortOn
        naturalSort
        compareLists
        take
        takeEnd
        drop
        dropEnd
        sublist
        last
        init
        crossLists
        unique
        uniqueStrings
        allUnique
        intersectLists
        subtractLists
        mutuallyExclusive
        groupBy
        groupBy'
        concatAttrValues
        ;
      inherit (self.strings)
        concatStrings
        concatMapStrings
        concatImapStrings
        replaceString
        intersperse
        concatMapStringsSep
        concatImapStringsSep
        concatMapAttrsStringSep
        concatLines
        makeSearchPath
        makeSearchPathOutput
        makeLibraryPath
        makeIncludePath
        makeBinPath
        optionalString
        hasInfix
        hasPrefix
        hasSuffix
        stringToCharacters
        stringAsChars
        escape
        escapeShellArg
        escapeShellArgs
        isStorePath
        isStringLike
        isValidPosixName
        toShellVar
        toShellVars
        trim
        trimWith
        escapeRegex
        escapeXML
        escapeNixString
        escapeNixIdentifier
        lowerChars
        upperChars
        toLower
        toUpper
        toSentenceCase
        addContextFrom
        splitString
        splitStringBy
        removePrefix
        removeSuffix
        versionOlder
        versionAtLeast
        getName
        getVersion
        cmakeOptionType
        cmakeBool
        cmakeFeature
        mesonOption
        mesonBool
        mesonEnable
        nameFromURL
        enableFeature
        enableFeatureAs
        withFeature
        withFeatureAs
        fixedWidthString
        fixedWidthNumber
        toInt
        toIntBase10
        fileContents
        sanitizeDerivationName
        levenshtein
        levenshteinAtMost
        normalizePath
        floatToString
        ;
      inherit (self.customisation)
        overrideDerivation
        makeOverridable
        callPackageWith
        callPackagesWith
        extendDerivation
        hydraJob
        makeScope
        makeScopeWithSplicing
        makeScopeWithSplicing'
        extendMkDerivation
        ;
      inherit (self.derivations) optionalDrvAttr warnOnInstantiate;
      inherit (self.meta)
        addMetaAttrs
        dontDistribute
        setName
        updateName
        appendToName
        mapDerivationAttrset
        setPrio
        lowPrio
        lowPrioSet
        hiPrio
        hiPrioSet
        licensesSpdx
        getLicenseFromSpdxId
        getLicenseFromSpdxIdOr
        getExe
        getExe'
        ;
      inherit (self.filesystem)
        pathType
        pathIsDirectory
        pathIsRegularFile
        listFilesRecursive
        ;
      inherit (self.sources)
        cleanSourceFilter
        cleanSource
        sourceByRegex
        sourceFilesBySuffices
        commitIdFromGitRepo
        cleanSourceWith
        pathHasContext
        canCleanSource
        pathIsGitRepo
        revOrTag
        repoRevToName
        ;
      inherit (self.asserts) assertMsg assertOneOf assertEachOneOf;
      inherit (self.debug)
        traceIf
        traceVal
        traceValFn
        traceSeq
        traceValSeq
        traceValSeqFn
        runTests
        testAllTrue
        ;
      inherit (self.misc) fakeHash fakeSha256 fakeSha512;
      inherit (self.versions) splitVersion;
    }
  );
in
lib
