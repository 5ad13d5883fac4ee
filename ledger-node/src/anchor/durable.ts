import fs from "node:fs";
import path from "node:path";

/**
 * Replaces `file` with `text` so that a crash or a power loss leaves either the old content or the new, never an empty
 * or partial file: written beside, synced, renamed, then the directory synced. Without the fsyncs a power loss can
 * leave the old state (or an empty file) behind a rename that did happen — for a witness, after the signature left.
 */
export function writeFileDurably(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, "w");
  try {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  const dir = fs.openSync(path.dirname(file), "r");
  try {
    fs.fsyncSync(dir);
  } finally {
    fs.closeSync(dir);
  }
}
