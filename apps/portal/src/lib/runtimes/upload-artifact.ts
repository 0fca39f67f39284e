/** The portal's answer to an artifact upload (apps/portal/src/server/http/artifact-upload-route.ts). */
export interface UploadedArtifact {
  sha256: string;
  sizeBytes: number;
  url: string;
}

export interface ArtifactUpload {
  done: Promise<UploadedArtifact>;
  abort(): void;
}

const FALLBACK = "The upload failed. Check your connection and try again.";

/**
 * Sends a file as the raw body of POST /api/artifacts. XMLHttpRequest rather than fetch, because
 * only it reports upload progress; `onProgress` gets the fraction sent, 0 to 1.
 */
export function uploadArtifact(file: File, onProgress: (fraction: number) => void): ArtifactUpload {
  const xhr = new XMLHttpRequest();
  const done = new Promise<UploadedArtifact>((resolve, reject) => {
    xhr.open("POST", "/api/artifacts");
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.responseType = "json";
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      const body: unknown = xhr.response;
      if (xhr.status === 200 && isUploaded(body)) return resolve(body);
      reject(new Error(messageOf(body) ?? FALLBACK));
    };
    xhr.onerror = () => reject(new Error(FALLBACK));
    xhr.onabort = () => reject(new Error("Upload cancelled."));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}

function isUploaded(body: unknown): body is UploadedArtifact {
  if (!body || typeof body !== "object") return false;
  const b = body as Record<string, unknown>;
  return (
    typeof b.sha256 === "string" && typeof b.sizeBytes === "number" && typeof b.url === "string"
  );
}

/** The `{ code, message }` error the portal answers with, if that is what came back. */
function messageOf(body: unknown): string | null {
  if (!body || typeof body !== "object" || !("message" in body)) return null;
  const message = (body as { message: unknown }).message;
  return typeof message === "string" && message.length > 0 && message.length <= 300
    ? message
    : null;
}
