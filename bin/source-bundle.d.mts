/** See source-bundle.mjs. */
export function sourceBundle(options: {
  /** The repository, holding .build/. */
  root: string;
  /** The folder under .build/ for this bundle's builds. */
  name: string;
  /** Output name (NAME.mjs) to entry file. */
  entryPoints: Record<string, string>;
  /** Folders whose .ts files go into the bundle. */
  sources: string[];
  /** Files that say how it is built. */
  recipes: string[];
}): Promise<string>;
