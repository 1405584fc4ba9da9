import { describe, expect, it } from "vitest";
import { analyzeSentiment } from "./analyze-sentiment.ts";

// Real-sounding customer messages: complaints, neutral questions, thanks, negated complaints and
// escalation demands. Columns: message, label, strongly negative, wants escalation.
const CASES: [string, "negative" | "neutral" | "positive", boolean, boolean][] = [
  [
    "I am extremely disappointed with your service. This is the third time I've contacted you about this.",
    "negative",
    true,
    false,
  ],
  ["This is unacceptable. My order is still not fixed after two weeks.", "negative", true, false],
  ["Worst customer service I've ever experienced.", "negative", true, false],
  ["I want to speak to a manager right now.", "negative", true, true],
  ["Please escalate this ticket, nobody has replied in 3 days.", "negative", true, true],
  ["If this isn't resolved by Friday I will contact my lawyer.", "negative", true, true],
  ["Cancel my account and give me a refund.", "negative", true, false],
  ["This is ridiculous, I've been waiting for hours!!!", "negative", true, false],
  ["Hi, how do I change the billing address on my invoice?", "neutral", false, false],
  ["Can you tell me when the new feature will be available?", "neutral", false, false],
  ["Is it possible to add another user to our plan?", "neutral", false, false],
  ["Thanks so much, that fixed it! Great support.", "positive", false, false],
  ["Thank you for the quick reply, really appreciate it.", "positive", false, false],
  ["Perfect, everything works now. Have a nice day!", "positive", false, false],
  ["Not bad at all, the new dashboard is quite nice.", "positive", false, false],
  ["I'm not disappointed, just curious about how the export works.", "neutral", false, false],
  ["No complaints here, just a quick question about the API limits.", "neutral", false, false],
  ["Never had a problem before, but today the login page shows an error.", "neutral", false, false],
  ["The app keeps crashing and nobody seems to care. Terrible.", "negative", true, false],
  ["Your support is useless, I'm so frustrated.", "negative", true, false],
  ["I've asked three times already. Why is this still broken?", "negative", true, false],
  ["I'd like to file a complaint about the agent who handled my case.", "negative", false, false],
  ["Please let me talk to your supervisor, the agent was rude.", "negative", true, true],
  ["We were charged twice this month, please refund the duplicate payment.", "negative", false, false],
  ["Thanks, but the issue is still not resolved.", "negative", false, false],
  ["Quick question: does the Pro plan include phone support?", "neutral", false, false],
  ["I'm not happy with how long this is taking.", "negative", true, false],
  ["Awesome, the fix works perfectly. You guys are the best!", "positive", false, false],
  ["This is a scam. I want my money back immediately.", "negative", true, false],
  ["I don't need this escalated, the workaround is fine for now.", "neutral", false, false],
  ["HELLO?? IS ANYONE THERE? I HAVE BEEN WAITING ALL DAY", "negative", true, false],
  ["Thank you, the refund arrived today.", "positive", false, false],
  ["Where is my order? It was supposed to arrive last week.", "negative", false, false],
  ["I'm really unhappy with the product quality, it broke after two days.", "negative", true, false],
  ["Could you please send me a copy of my last invoice?", "neutral", false, false],
  ["Great job team, the issue was resolved within minutes!", "positive", false, false],
  ["I've been a customer for 5 years and this is how you treat me? Absolutely disgraceful.", "negative", true, false],
  ["This is the second time my package has been lost. I expect a full refund.", "negative", true, false],
  ["Can I get your supervisor on the line please?", "negative", false, true],
  ["Nothing has changed since my last email, the sync still doesn't work.", "negative", false, false],
  ["No problem, take your time.", "neutral", false, false],
  ["I'll be filing a complaint with the BBB if I don't hear back today.", "negative", true, true],
  ["Your agent was very helpful and polite, thank you!", "positive", false, false],
  ["Why do I have to explain this again? I already sent all the screenshots.", "negative", false, false],
  ["How do I request a refund for an annual plan?", "neutral", false, false],
  ["Good morning, can you help me reset my password?", "neutral", false, false],
  ["Thanks for nothing.", "negative", false, false],
  ["I never received a confirmation email.", "negative", false, false],
  ["The new update is not great, several features are missing.", "negative", false, false],
  ["thank u so much!!!", "positive", false, false],
];

describe("analyzeSentiment — English messages", () => {
  it("has a broad set of messages", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
  });

  it.each(CASES)("%s → %s (strong %s, escalation %s)", (message, label, strong, escalation) => {
    const result = analyzeSentiment(message);
    expect({ label: result.label, strong: result.isStronglyNegative, escalation: result.wantsEscalation }).toEqual({
      label,
      strong,
      escalation,
    });
    expect(result.language).toBe("en");
  });
});
