"use client";

import { useRef, useState, type DragEvent } from "react";
import { filesOfDrop, type DroppedFile } from "@/lib/files/dropped-files";

function carriesFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes("Files");
}

/**
 * Drag-and-drop of files and folders onto an element: `dragging` while files hover over it, and
 * the dropped files (folders walked, relative paths kept) handed to `onFiles`.
 */
export function useDropZone(onFiles: (files: DroppedFile[]) => void, enabled = true) {
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0);

  const props = {
    onDragEnter: (event: DragEvent) => {
      if (!enabled || !carriesFiles(event)) return;
      event.preventDefault();
      depth.current += 1;
      setDragging(true);
    },
    onDragOver: (event: DragEvent) => {
      if (!enabled || !carriesFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
    },
    onDragLeave: (event: DragEvent) => {
      if (!enabled || !carriesFiles(event)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setDragging(false);
    },
    onDrop: (event: DragEvent) => {
      if (!enabled) return;
      event.preventDefault();
      depth.current = 0;
      setDragging(false);
      // The entries must be taken before the handler returns; walking them can happen later.
      void filesOfDrop(event.dataTransfer).then((files) => {
        if (files.length > 0) onFiles(files);
      });
    },
  };
  return { dragging, props };
}
