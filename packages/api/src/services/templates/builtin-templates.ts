import type { Prisma, PrismaClient } from "@berth/db";

/**
 * Templates every installation starts with. They are data: seeded once, then admins own them
 * (a later seed never overwrites an edit).
 */
export const BUILTIN_TEMPLATES: Prisma.TemplateCreateInput[] = [
  {
    slug: "minecraft-paper",
    name: "Minecraft (Paper)",
    description: "Paper server for Minecraft: Java Edition. Put paper.jar in the server folder.",
    image: "eclipse-temurin:21-jre",
    startup:
      "java -Xms128M -Xmx{{SERVER_MEMORY}}M -Dterminal.jline=false -Dterminal.ansi=true -jar paper.jar --nogui --port {{SERVER_PORT}}",
    stopCommand: "stop",
    donePattern: String.raw`Done \([0-9.]+s\)! For help, type "help"`,
    ports: [{ name: "game", containerPort: 25565, protocol: "tcp" }],
    env: { EULA: "TRUE" },
    stopTimeoutS: 30,
    termTimeoutS: 10,
  },
  {
    slug: "generic-console",
    name: "Generic console program",
    description:
      "A small console program on Berth's locally built busybox image: echoes what you type.",
    image: "berth/generic:1",
    // The stop command "exit" ends the loop, so a stop does not have to wait for SIGTERM.
    startup: `sh -c 'echo "Server ready on port {{SERVER_PORT}}"; while read line; do [ "$line" = exit ] && exit 0; echo "> $line"; done'`,
    stopCommand: "exit",
    donePattern: "Server ready",
    ports: [{ name: "main", containerPort: 8080, protocol: "tcp" }],
    env: {},
    stopTimeoutS: 10,
    termTimeoutS: 5,
  },
];

/**
 * Startup commands earlier versions seeded. A row still holding one gets the current command; a
 * command an admin changed is theirs and is left alone.
 */
const SUPERSEDED_STARTUPS: Record<string, string[]> = {
  "generic-console": [
    `sh -c 'echo "Server ready on port {{SERVER_PORT}}"; while read line; do echo "> $line"; done'`,
  ],
};

export async function ensureBuiltinTemplates({ prisma }: { prisma: PrismaClient }): Promise<void> {
  for (const template of BUILTIN_TEMPLATES) {
    await prisma.template.upsert({ where: { slug: template.slug }, create: template, update: {} });
    const superseded = SUPERSEDED_STARTUPS[template.slug];
    if (superseded) {
      await prisma.template.updateMany({
        where: { slug: template.slug, startup: { in: superseded } },
        data: { startup: template.startup },
      });
    }
  }
}
