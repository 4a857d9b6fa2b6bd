/**
 * Lines ffmpeg writes when a file's data is damaged: import (posters), clip decoding and anomaly
 * frame streams all judge a file by them. A container header can parse perfectly while the frames
 * behind it are garbage or missing, so decoding is the test. Deliberately absent: what a stream
 * legitimately prints when decoding starts between keyframes (MPEG-TS / AVCHD cut mid-GOP:
 * "non-existing PPS", "no frame!", "decode_slice_header error").
 */
export const FFMPEG_DAMAGE_LINE =
  /partial file|corrupt|Truncat|File ended prematurely|Invalid NAL unit size|Error splitting the input into NAL units|error while decoding MB|concealing \d+ DC|ac-tex damaged|Error at MB|slice .*too large/i;
