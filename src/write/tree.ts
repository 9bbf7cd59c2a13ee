import type { FileMap } from './files.ts';

export function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}

interface Node {
  children: Map<string, Node>;
  size?: number;
}

/** The project as a tree with sizes, for --dry-run (directories first, then files, by name). */
export function formatTree(root: string, files: FileMap): string {
  const top: Node = { children: new Map() };
  for (const [path, content] of files) {
    let node = top;
    const parts = path.split('/');
    parts.forEach((part, i) => {
      let child = node.children.get(part);
      if (!child) node.children.set(part, (child = { children: new Map() }));
      if (i === parts.length - 1) child.size = Buffer.byteLength(content);
      node = child;
    });
  }
  const lines = [`${root}/`];
  const walk = (node: Node, indent: string) => {
    const entries = [...node.children].sort(([a, x], [b, y]) => {
      const dirs = Number(y.size === undefined) - Number(x.size === undefined);
      // Code-point order, the same in every locale.
      return dirs || (a < b ? -1 : a > b ? 1 : 0);
    });
    entries.forEach(([name, child], i) => {
      const last = i === entries.length - 1;
      const label = child.size === undefined ? `${name}/` : name;
      const size = child.size === undefined ? '' : formatSize(child.size);
      lines.push(`${indent}${last ? '└── ' : '├── '}${label.padEnd(Math.max(1, 40 - indent.length))} ${size}`.trimEnd());
      if (child.size === undefined) walk(child, indent + (last ? '    ' : '│   '));
    });
  };
  walk(top, '');
  const total = [...files.values()].reduce((sum, content) => sum + Buffer.byteLength(content), 0);
  lines.push(`${files.size} files, ${formatSize(total)}`);
  return lines.join('\n');
}
