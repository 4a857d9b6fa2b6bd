import type { Configuration } from 'electron-builder';

/**
 * electron-builder configuration (`npm run dist`). Native modules are rebuilt for Electron's ABI
 * here, at packaging, so node_modules in a checkout stays built for Node.
 */
const config: Configuration = {
  appId: 'org.vssl.studio',
  productName: 'VSSL Studio',
  copyright: 'Copyright © VSSL Studio contributors',
  directories: {
    output: 'dist',
    buildResources: 'resources',
  },
  // Dawn (npm webgpu) ships dawn.node for every platform, ~20-40 MB each: each target takes only its own
  // (the platform sections below add it back). It is a Node-API addon, so it loads in Electron unrebuilt.
  files: ['out/**', 'package.json', '!out/**/*.map', '!**/*.test.*', '!node_modules/webgpu/dist/**'],
  // The GPL requires the ffmpeg/ffprobe notice, the licence text and the source offer to travel
  // with the binaries: resources/LICENSES lands in the app's resources folder as LICENSES/.
  extraResources: [{ from: 'resources/LICENSES', to: 'LICENSES', filter: ['**/*'] }],
  asar: true,
  // Executables and native addons cannot run from inside an asar archive.
  asarUnpack: [
    'node_modules/@ffmpeg-installer/**',
    'node_modules/@ffprobe-installer/**',
    'node_modules/better-sqlite3/**',
    'node_modules/webgpu/dist/**',
  ],
  npmRebuild: true,
  nativeRebuilder: 'sequential',
  buildDependenciesFromSource: false,
  linux: {
    files: ['node_modules/webgpu/dist/linux-${arch}/**'],
    target: ['AppImage', 'deb'],
    category: 'Science',
    icon: 'resources/icon.png',
    synopsis: 'Semi-supervised video learning workstation',
  },
  deb: {
    // libvulkan1: Dawn reaches the GPU through Vulkan on Linux (the GPU's own driver provides the rest).
    depends: ['libnss3', 'libgtk-3-0', 'libxss1', 'libasound2', 'libvulkan1'],
  },
  mac: {
    files: ['node_modules/webgpu/dist/darwin-universal/**'],
    target: ['dmg'],
    category: 'public.app-category.developer-tools',
    icon: 'resources/icon.png',
  },
  win: {
    files: ['node_modules/webgpu/dist/win32-${arch}/**'],
    target: ['nsis'],
    icon: 'resources/icon.png',
  },
  nsis: {
    oneClick: false,
    allowToChangeInstallationDirectory: true,
  },
};

export default config;
