/**
 * The customer's view in a real browser: a ticket whose internal fields (tier and group names,
 * tags, the handoff note, an internal note) all carry a sentinel shows none of them in the portal,
 * while the agent's console shows them. The API, stream and email halves are in
 * packages/server/test/customer-view.int.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { DEMO, journeySession, screenshot, startHarness, unique, type Harness, type Session } from "./harness.ts";

const S = "SENTINEL-INTERNAL-7f3a";
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const session = (ctx: TestContext, email: string): Promise<Session> => journeySession(h, ctx, email, "en");

/** Everything the page shows or carries: its text and its markup (titles, labels, attributes). */
const pageText = async (s: Session) =>
  `${await s.page.locator("body").innerText()}\n${await s.page.content()}`.toLowerCase();

describe("the portal shows the customer view only", () => {
  it("names no internal tier, group, tag, handoff or internal note, which the agent's console shows", async (ctx) => {
    const admin = await session(ctx, DEMO.admin);
    const customer = await session(ctx, DEMO.customer);
    const agent = await session(ctx, DEMO.tier2);
    // Internal names with a sentinel: the tier and group the ticket goes to.
    await admin.api.patch("/tiers/2", { name: `Tier 2 · ${S}` });
    const groups = await admin.api.get<{ items: { id: string; name: string }[] }>("/groups");
    const technical = groups.items.find((g) => g.name === "Technical")!;
    await admin.api.patch(`/groups/${technical.id}`, { name: `Technical ${S}` });

    const subject = unique("Refund not received");
    const ticket = await customer.api.post<{ id: string }>("/tickets", { subject, description: "Still waiting." });
    await admin.api.patch(`/tickets/${ticket.id}`, { tags: [S] });
    await admin.api.post(`/tickets/${ticket.id}/messages`, { body: `Internal ${S}`, kind: "note" });
    await admin.api.post(`/tickets/${ticket.id}/messages`, { body: "We are looking into it." });
    await admin.api.post(`/tickets/${ticket.id}/escalations`, {
      to: { tier: 2 },
      reason: "too_complex",
      note: `Handoff ${S}`,
    });

    await customer.page.goto(`/portal/tickets/${ticket.id}`);
    await customer.page.getByRole("heading", { level: 1, name: new RegExp(subject) }).waitFor();
    await customer.page.getByText(/Escalated to level 2 at \d\d:\d\d/).waitFor();
    await customer.page.getByText("Handled by our level 2 team").waitFor();
    await customer.page.getByText("Your request has been passed to our level 2 team.").waitFor();
    await customer.page.getByRole("list", { name: "Conversation" }).getByText("We are looking into it.").waitFor();
    await screenshot(customer.page, "portal-customer-view");
    expect(await pageText(customer)).not.toContain(S.toLowerCase());

    await customer.page.goto("/portal");
    await customer.page.getByRole("link", { name: new RegExp(subject) }).waitFor();
    expect(await pageText(customer)).not.toContain(S.toLowerCase());

    // The same ticket in the agent's console carries every sentinel: the check above can fail.
    await agent.page.goto(`/app/tickets/${ticket.id}`);
    await agent.page.getByRole("heading", { level: 1, name: new RegExp(subject) }).waitFor();
    await agent.page.getByText(`Handoff ${S}`).first().waitFor();
    expect(await pageText(agent)).toContain(S.toLowerCase());
  });

  it("sends no priority or tags from the new-request form, and the API refuses them from a customer", async (ctx) => {
    const customer = await session(ctx, DEMO.customer);
    const sent: unknown[] = [];
    customer.page.on("request", (r) => {
      if (r.method() === "POST" && r.url().endsWith("/api/v1/tickets")) sent.push(r.postDataJSON());
    });
    const subject = unique("Form fields");
    await customer.page.goto("/portal/new");
    await customer.page.getByRole("textbox", { name: "Subject" }).fill(subject);
    await customer.page.getByRole("textbox", { name: "Describe the problem" }).fill("My parcel has not arrived.");
    await customer.page.getByRole("button", { name: "Send request" }).click();
    await customer.page.waitForURL(/\/portal\/tickets\/[0-9a-f-]{36}$/);
    expect(sent).toHaveLength(1);
    expect(Object.keys(sent[0] as object)).not.toContain("priority");
    expect(Object.keys(sent[0] as object)).not.toContain("tags");
    await expect(
      customer.api.post("/tickets", { subject, description: "x", priority: "urgent", tags: ["vip"] }),
    ).rejects.toThrow(/422/);
  });
});
