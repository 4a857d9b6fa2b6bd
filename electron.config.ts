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
  files: ['out/**', 'package.json', '!out/**/*.map', '!**/*.test.*'],
  asar: true,
  // Executables and native addons cannot run from inside an asar archive.
  asarUnpack: [
    'node_modules/@ffmpeg-installer/**',
    'node_modules/@ffprobe-installer/**',
    'node_modules/better-sqlite3/**',
  ],
  npmRebuild: true,
  nativeRebuilder: 'sequential',
  buildDependenciesFromSource: false,
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Science',
    icon: 'resources/icon.png',
    synopsis: 'Semi-supervised video learning workstation',
  },
  deb: {
    depends: ['libnss3', 'libgtk-3-0', 'libxss1', 'libasound2'],
  },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.developer-tools',
    icon: 'resources/icon.png',
  },
  win: {
    target: ['nsis'],
    icon: 'resources/icon.png',
  },
  nsis: {
    oneClick: false,
    allowToChangeInstallationDirectory: true,
  },
};

export default config;
