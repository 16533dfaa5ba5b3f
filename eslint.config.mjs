// @ts-check
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['cdk.out/', 'node_modules/', 'target/', 'lambdas/']),
  {
    files: ['cdk/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
  },
);
