/**
 * What was dropped on the Library, as files with their path inside what was dropped: a dropped folder
 * is walked (the browser's FileSystemEntry API), so its videos keep their sub-folders.
 */
export interface DroppedFile {
  file: File;
  /** "holiday/day1/a.mp4" for a file inside a dropped folder "holiday"; the name alone for a dropped file. */
  relativePath: string;
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** Every entry of a folder: readEntries answers in batches until it answers none. */
async function childrenOf(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

async function walk(entry: FileSystemEntry, prefix: string, out: DroppedFile[]): Promise<void> {
  const here = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) out.push({ file: await fileOf(entry as FileSystemFileEntry), relativePath: here });
  else if (entry.isDirectory) for (const child of await childrenOf(entry as FileSystemDirectoryEntry)) await walk(child, here, out);
}

/** The files in a drop (folders walked); read at once, since a DataTransfer empties after the event. */
export async function droppedFiles(data: DataTransfer): Promise<DroppedFile[]> {
  const entries = [...data.items].map((item) => (item.kind === 'file' ? item.webkitGetAsEntry() : null));
  const out: DroppedFile[] = [];
  if (entries.every((entry) => entry !== null)) {
    for (const entry of entries) await walk(entry, '', out);
    return out;
  }
  // No entry API (or a synthetic drop): the files as they are, without folders.
  for (const file of data.files) out.push({ file, relativePath: file.name });
  return out;
}
