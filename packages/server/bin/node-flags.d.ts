export declare const NODE_FLAGS: string[];
export declare function nodeFlags(given?: string[]): string[];
