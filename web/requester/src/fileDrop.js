// Files from a drop: folders are walked with the (webkit) FileSystem entry API.
// entriesOf() must run synchronously inside the drop handler; the DataTransfer is emptied afterwards.

export function entriesOf(dataTransfer) {
  const items = dataTransfer.items ? Array.from(dataTransfer.items) : [];
  const entries = [];
  for (const it of items) {
    if (it.kind !== 'file') continue;
    const entry = typeof it.webkitGetAsEntry === 'function' ? it.webkitGetAsEntry() : null;
    if (entry) entries.push(entry);
  }
  if (entries.length) return { entries, files: [] };
  return { entries: [], files: Array.from(dataTransfer.files || []).map((f) => ({ file: f, path: f.name })) };
}

function readBatch(reader) {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry) {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

// Walks entries depth-first and hands over files in batches, so thousands of files show up progressively.
export async function walkEntries(entries, onBatch, batchSize = 200) {
  let batch = [];
  let count = 0;
  const flush = () => { if (batch.length) { onBatch(batch); batch = []; } };
  const stack = [...entries].reverse();
  while (stack.length) {
    const entry = stack.pop();
    if (entry.isFile) {
      try {
        const file = await fileOf(entry);
        batch.push({ file, path: entry.fullPath ? entry.fullPath.replace(/^\//, '') : file.name });
        count += 1;
        if (batch.length >= batchSize) flush();
      } catch { /* unreadable file: skip */ }
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      const children = [];
      for (;;) { // readEntries returns at most ~100 entries per call
        const part = await readBatch(reader);
        if (!part.length) break;
        children.push(...part);
      }
      children.sort((a, b) => a.name.localeCompare(b.name));
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
  }
  flush();
  return count;
}
