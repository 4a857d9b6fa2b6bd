/**
 * Lines ffmpeg writes when a file's data is damaged: import (posters), clip decoding and anomaly
 * frame streams all judge a file by them. A container header can parse perfectly while the frames
 * behind it are garbage or missing, so decoding is the test. Deliberately absent: what a stream
 * legitimately prints when decoding starts between keyframes (MPEG-TS / AVCHD cut mid-GOP:
 * "non-existing PPS", "no frame!", "decode_slice_header error").
 *
 * These lines are a hint, not the proof: they differ between ffmpeg versions, and a damaged or
 * cut-off Matroska/WebM file often ends its decode with exit code 0 and nothing here matching
 * (4.1 "Read error", 5.1 "Length 5 indicated by an EBML number's first byte …"). The import's
 * check therefore also compares how far the frames decoded with where the container says the
 * video ends (decode-coverage.ts).
 */
export const FFMPEG_DAMAGE_LINE =
  /partial file|corrupt|Truncat|File ended prematurely|Invalid NAL unit size|Error splitting the input into NAL units|error while decoding MB|concealing \d+ DC|ac-tex damaged|Error at MB|slice .*too large/i;
