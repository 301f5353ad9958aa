/**
 * Packaging the desktop app: `npm run dist` (electron-builder) writes installers to dist/ for the
 * platform it runs on — Linux AppImage and .deb, macOS .dmg, Windows NSIS. Build each platform
 * on that platform: the native parts below are built for the machine that packages.
 *
 * Not runnable offline: electron-builder downloads Electron's zip for the target and its
 * packaging tools (appimagetool, fpm, NSIS, dmg tooling) on first use, and
 * scripts/electron-sqlite.mjs downloads Electron's headers once. Settings are checked by
 * test/desktop/packaging.test.ts; a package has not been built on the development machine.
 *
 * Native code in the package:
 * - better-sqlite3 for Electron's ABI: scripts/electron-sqlite.mjs builds it into .electron-native/
 *   (`npm run dist` runs it first) and the shell points FRAMELAB_SQLITE_BINDING at it, as in
 *   `npm start`. So electron-builder must not rebuild node_modules (npmRebuild: false): that
 *   would replace the Node build that the CLI and the tests use.
 * - onnxruntime-node, sharp, @duckdb: Node-API binaries, which load in Electron as they are.
 * - the LibTorch training addon (native/build/Release/framelab_native.node, from
 *   `npm run build:native` before `npm run dist`; without it the package has no training and
 *   says so). It is a Node-API module linked against LibTorch's shared libraries, which are not
 *   bundled: the addon finds them through the run path recorded when it was built (CMake's
 *   TORCH_INSTALL_PREFIX/lib) and then the system's library path. Debian's libtorch-dev puts them
 *   on the system path (package libtorch1.13, which the .deb recommends); a LibTorch zip
 *   (LIBTORCH=…) must be at the same path on the user's machine, or on LD_LIBRARY_PATH /
 *   DYLD_LIBRARY_PATH / PATH. FRAMELAB_NATIVE_ADDON points the app at another build of the addon.
 *   native/CMakeLists.txt is packaged because the loader (native/loader.ts) takes it as the mark
 *   of a Framelab that includes the addon, and then reports a missing or unloadable addon with
 *   the reason instead of "not included".
 * - the image addon (native/build/Release/framelab_image.node, built by the same command): the
 *   model-input resize in plain C++, no libraries besides libstdc++; without it the app uses the
 *   slower TypeScript resize (same numbers) and `doctor` says so.
 *
 * Native files must sit outside app.asar (asarUnpack): the OS loader cannot open a file inside
 * the archive, and an addon's neighbouring shared libraries must be found beside it.
 *
 * ffmpeg/ffprobe come from the system (PATH), as for the CLI: the .deb recommends ffmpeg.
 */
module.exports = {
  appId: 'org.framelab.desktop',
  productName: 'Framelab',
  directories: { output: 'dist', buildResources: 'resources' },
  files: [
    'package.json',
    'out/**/*',
    '!out/**/*.map',
    'resources/**/*',
    '.electron-native/*.node',
    'native/CMakeLists.txt',
    'native/build/Release/framelab_native.node',
    'native/build/Release/framelab_image.node',
  ],
  asar: true,
  asarUnpack: [
    '**/*.node',
    '.electron-native/**',
    'native/build/Release/**',
    'node_modules/better-sqlite3/**',
    'node_modules/onnxruntime-node/**',
    'node_modules/sharp/**',
    'node_modules/@img/**',
    'node_modules/@duckdb/**',
  ],
  npmRebuild: false,
  buildDependenciesFromSource: false,
  // Electron's fuses, flipped in the packaged binary (the development binary is unchanged, so
  // Playwright can still drive it with --inspect).
  electronFuses: {
    // ELECTRON_RUN_AS_NODE would turn the signed app into a general-purpose Node.
    runAsNode: false,
    enableCookieEncryption: true,
    // NODE_OPTIONS and --inspect would let anyone who can start the app inject code into it.
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    // The app's code is only what is in app.asar, and app.asar is what was signed (macOS, Windows).
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    // grantFileProtocolExtraPrivileges stays on: the window loads its page from file://, and its
    // module scripts need the privileges Electron gives file:// pages.
  },
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Science',
    executableName: 'framelab',
    // Set a real address before publishing a package: .deb requires a maintainer.
    maintainer: 'Framelab maintainers',
  },
  deb: {
    // The training addon's LibTorch and XGBoost (as built on Debian 12), and ffmpeg for media.
    recommends: ['ffmpeg', 'libtorch1.13', 'libxgboost0'],
  },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.education',
  },
  win: {
    target: ['nsis'],
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
  },
  // Never upload anything: the installers stay in dist/.
  publish: null,
};
