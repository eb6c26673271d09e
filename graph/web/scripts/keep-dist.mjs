// The Go package embeds dist/ and needs it to exist before any build: an empty
// dist/.keep is committed, and a build (which empties dist/) puts it back.
import { writeFileSync } from 'node:fs';
writeFileSync(new URL('../dist/.keep', import.meta.url), '');
