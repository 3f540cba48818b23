/** A stand-in for the browser of `tokensmith token --browser CMD`: signs in as "carol". */
import { completeLogin } from './login-driver.js';

const url = process.argv[2];
if (!url) throw new Error('No URL given');
await completeLogin(url, 'carol');
