/** `node --import tsx lambda-bundle-cli.ts '<LambdaBundleOptions as JSON>'`: the child process of buildLambdaBundle. */
import { buildLambdaBundleAsync, type LambdaBundleOptions } from './lambda-bundle.ts';

const options = JSON.parse(process.argv[2] ?? '') as LambdaBundleOptions;
await buildLambdaBundleAsync(options);
