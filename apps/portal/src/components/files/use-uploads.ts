"use client";

import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import { toast } from "sonner";
import type { DetailedError, PreviousUpload, Upload } from "tus-js-client";
import type { DroppedFile } from "@/lib/files/dropped-files";
import { joinPath } from "@/lib/files/file-path";
import { isFinalUploadStatus, uploadEndpoint, uploadErrorMessage } from "@/lib/files/file-urls";
import { nextToStart, uploadId, uploadsReducer, type UploadItem } from "@/lib/files/upload-queue";

/** Bytes per PATCH: big enough to be quick, small enough that a dropped link loses little. */
const CHUNK_BYTES = 8 * 1024 * 1024;
const PARALLEL = 2;
const RETRY_DELAYS_MS = [0, 1000, 3000, 5000, 10_000, 20_000];
const FINGERPRINT_PREFIX = "berth-upload";

/**
 * The fingerprint tus stores the upload's URL under (in localStorage): the same file to the same
 * destination on the same server, so after a reload dropping the file again continues it.
 */
function fingerprintOf(serverId: string, path: string, file: File): string {
  return [FINGERPRINT_PREFIX, serverId, path, file.size, file.lastModified].join("::");
}

/** An upload the browser was sending when the page went away; its bytes so far are on the node. */
export interface InterruptedUpload {
  key: string;
  path: string;
  size: number | null;
  uploadUrl: string | null;
}

function statusOf(error: Error | DetailedError): number | null {
  if ("originalResponse" in error && error.originalResponse) {
    return error.originalResponse.getStatus();
  }
  return null;
}

function bodyOf(error: Error | DetailedError): string | null {
  if ("originalResponse" in error && error.originalResponse) {
    return error.originalResponse.getBody();
  }
  return null;
}

/**
 * Resumable uploads of one server with tus: chunked, two at a time, paused and resumed by hand,
 * retried after a dropped connection, and continued after a reload when the same file is dropped
 * again (tus keeps the upload URL under the fingerprint). `onUploaded` runs after each file.
 */
export function useUploads(serverId: string, onUploaded: (item: UploadItem) => void) {
  const [items, dispatch] = useReducer(uploadsReducer, []);
  const [interrupted, setInterrupted] = useState<InterruptedUpload[]>([]);
  const files = useRef(new Map<string, File>());
  const uploads = useRef(new Map<string, Upload>());
  const itemsRef = useRef(items);
  const onUploadedRef = useRef(onUploaded);
  useEffect(() => {
    itemsRef.current = items;
    onUploadedRef.current = onUploaded;
  });

  const refreshInterrupted = useCallback(async () => {
    const tus = await import("tus-js-client");
    if (!tus.canStoreURLs) return;
    const prefix = `tus::${FINGERPRINT_PREFIX}::${serverId}::`;
    const stored: PreviousUpload[] = await tus.defaultOptions.urlStorage.findAllUploads();
    const active = new Set(itemsRef.current.map((i) => i.path));
    setInterrupted(
      stored
        .filter((u) => u.urlStorageKey.startsWith(prefix))
        .map((u) => ({
          key: u.urlStorageKey,
          path: u.metadata.path ?? u.metadata.filename ?? "?",
          size: u.size,
          uploadUrl: u.uploadUrl,
        }))
        .filter((u) => !active.has(u.path)),
    );
  }, [serverId]);

  useEffect(() => {
    void refreshInterrupted();
  }, [refreshInterrupted]);

  const begin = useCallback(
    async (id: string) => {
      const file = files.current.get(id);
      const item = itemsRef.current.find((i) => i.id === id);
      if (!file || !item) return;
      dispatch({ type: "start", id });
      const existing = uploads.current.get(id);
      if (existing) {
        // Paused or failed earlier: tus asks the node for the offset and continues from there.
        existing.start();
        return;
      }
      const tus = await import("tus-js-client");
      let resumed = false;
      let firstProgress = true;
      const upload = new tus.Upload(file, {
        endpoint: uploadEndpoint(serverId),
        chunkSize: CHUNK_BYTES,
        retryDelays: RETRY_DELAYS_MS,
        metadata: { path: item.path, filename: file.name, filetype: file.type },
        fingerprint: async () => fingerprintOf(serverId, item.path, file),
        storeFingerprintForResuming: true,
        removeFingerprintOnSuccess: true,
        onProgress: (sent, total) => {
          if (firstProgress && resumed && sent > 0) dispatch({ type: "resumed", id, offset: sent });
          firstProgress = false;
          dispatch({ type: "progress", id, sent, total });
        },
        onShouldRetry: (error) => {
          const status = statusOf(error);
          return status === null || !isFinalUploadStatus(status);
        },
        onSuccess: () => {
          dispatch({ type: "done", id });
          const done = itemsRef.current.find((i) => i.id === id);
          if (done) onUploadedRef.current(done);
        },
        onError: (error) => {
          const message = uploadErrorMessage(statusOf(error), bodyOf(error));
          dispatch({ type: "fail", id, error: message });
          toast.error(message, { id: `upload-error:${message}` });
        },
      });
      uploads.current.set(id, upload);
      const previous = await upload.findPreviousUploads().catch(() => []);
      const last = previous[previous.length - 1];
      if (last) {
        resumed = true;
        upload.resumeFromPreviousUpload(last);
      }
      // A pause can land while the lookup ran.
      if (itemsRef.current.find((i) => i.id === id)?.status !== "paused") upload.start();
    },
    [serverId],
  );

  // Queued uploads start a few at a time.
  useEffect(() => {
    for (const id of nextToStart(items, PARALLEL)) void begin(id);
  }, [items, begin]);

  // Interrupted list follows what finished or started.
  const doneCount = items.filter((i) => i.status === "done").length;
  useEffect(() => {
    void refreshInterrupted();
  }, [doneCount, items.length, refreshInterrupted]);

  // Leaving the page stops the requests; the stored URLs let a later visit continue.
  useEffect(() => {
    const all = uploads.current;
    return () => {
      for (const upload of all.values()) void upload.abort();
    };
  }, []);

  const add = useCallback(
    (dropped: readonly DroppedFile[], folder: string) => {
      const fresh: UploadItem[] = [];
      for (const { file, relativePath } of dropped) {
        const path = joinPath(folder, relativePath);
        const id = uploadId(serverId, path, file.size, file.lastModified);
        files.current.set(id, file);
        fresh.push({
          id,
          name: file.name,
          path,
          size: file.size,
          sent: 0,
          status: "queued",
          error: null,
          resumedFrom: 0,
        });
      }
      dispatch({ type: "add", items: fresh });
      // A file dropped again after it failed or paused goes again.
      for (const item of fresh) {
        const known = itemsRef.current.find((i) => i.id === item.id);
        if (known && (known.status === "error" || known.status === "paused")) void begin(item.id);
      }
    },
    [serverId, begin],
  );

  const pause = useCallback((id: string) => {
    dispatch({ type: "pause", id });
    void uploads.current.get(id)?.abort();
  }, []);

  const resume = useCallback((id: string) => void begin(id), [begin]);

  const dismiss = useCallback((id: string) => {
    void uploads.current.get(id)?.abort();
    uploads.current.delete(id);
    files.current.delete(id);
    dispatch({ type: "dismiss", id });
  }, []);

  const clearFinished = useCallback(() => {
    for (const item of itemsRef.current) {
      if (item.status !== "done") continue;
      uploads.current.delete(item.id);
      files.current.delete(item.id);
    }
    dispatch({ type: "clear-finished" });
  }, []);

  /** Drops an interrupted upload: its partial file on the node and its stored URL. */
  const forget = useCallback(
    async (upload: InterruptedUpload) => {
      const tus = await import("tus-js-client");
      if (upload.uploadUrl) await tus.Upload.terminate(upload.uploadUrl).catch(() => undefined);
      await tus.defaultOptions.urlStorage.removeUpload(upload.key);
      await refreshInterrupted();
    },
    [refreshInterrupted],
  );

  return { items, interrupted, add, pause, resume, dismiss, clearFinished, forget };
}
