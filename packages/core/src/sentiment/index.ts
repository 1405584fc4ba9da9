export {
  analyzeSentiment,
  LABEL_THRESHOLD,
  STRONGLY_NEGATIVE_SCORE,
  type SentimentLabel,
  type SentimentResult,
} from "./analyze-sentiment.ts";
export { LEXICON, type LexiconEntry } from "./lexicon.ts";
