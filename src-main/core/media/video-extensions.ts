// Shared with the renderer, which filters what is dropped on the Library by the same list.
export { isVideoFileName, VIDEO_EXTENSIONS } from '../../shared/video-extensions.js';
