import { TEXT_FILE_MAX_BYTES } from "@berth/protocol";
import { describe, expect, it } from "vitest";
import { extensionOf, isArchive, isEditable, languageOf, openActionOf } from "./file-kind";

describe("extensionOf", () => {
  it("takes the last extension in lower case", () => {
    expect(extensionOf("Config.YML")).toBe("yml");
    expect(extensionOf("world.tar.gz")).toBe("gz");
    expect(extensionOf(".env")).toBe("env");
    expect(extensionOf("Dockerfile")).toBe("");
    expect(extensionOf("trailing.")).toBe("");
  });
});

describe("languageOf", () => {
  it("maps extensions to the editor's languages", () => {
    expect(languageOf("ops.json")).toBe("json");
    expect(languageOf("pack.mcmeta")).toBe("json");
    expect(languageOf("config.yml")).toBe("yaml");
    expect(languageOf("index.mjs")).toBe("javascript");
    expect(languageOf("app.tsx")).toBe("typescript");
    expect(languageOf("main.py")).toBe("python");
    expect(languageOf("server.properties")).toBe("properties");
    expect(languageOf("Cargo.toml")).toBe("toml");
    expect(languageOf("start.sh")).toBe("shell");
    expect(languageOf("latest.log")).toBe("plain");
  });
});

describe("openActionOf", () => {
  it("previews images, edits small text files and downloads the rest", () => {
    expect(openActionOf("icon.PNG", 10)).toBe("preview");
    expect(openActionOf("server.properties", 900)).toBe("edit");
    expect(openActionOf("eula", 10)).toBe("edit");
    expect(openActionOf("latest.log", TEXT_FILE_MAX_BYTES + 1)).toBe("download");
    expect(openActionOf("paper.jar", 10)).toBe("download");
    expect(openActionOf("r.0.0.mca", 10)).toBe("download");
  });
  it("knows text files by name and size", () => {
    expect(isEditable("notes.txt", TEXT_FILE_MAX_BYTES)).toBe(true);
    expect(isEditable("blob", 10)).toBe(false);
  });
});

describe("isArchive", () => {
  it("knows the archives the agent extracts", () => {
    expect(isArchive("world.tar.gz")).toBe(true);
    expect(isArchive("Pack.ZIP")).toBe(true);
    expect(isArchive("backup.tgz")).toBe(true);
    expect(isArchive("mod.jar")).toBe(false);
  });
});
