/** The caller's feature flags; the same answer on every request and instance. */
export class FeaturesResponseDto {
  /** Read and write preferences through the API instead of localStorage. */
  serverPreferences: boolean;
  /** Run the one-time localStorage import after sign-in. */
  localStorageImport: boolean;
}
