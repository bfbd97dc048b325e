package example.payroll;

import java.util.Map;

/**
 * Apicurio's deserializer set for what cs-appraisal writes: the Confluent framing (magic byte 0,
 * then a 4-byte big-endian schema id) where the id is the one the registry's Confluent-compatible
 * API returned when the schema was registered. Apicurio 3 gives its ccompat API content ids, so
 * the 4-byte handler must look ids up as contentId (not globalId, Apicurio 2's default).
 */
final class RegistrySettings {
  private RegistrySettings() {}

  static Map<String, String> deserializer(String registryApiUrl) {
    return Map.of(
        "apicurio.registry.url", registryApiUrl,
        "apicurio.registry.id-handler", "io.apicurio.registry.serde.Default4ByteIdHandler",
        "apicurio.registry.use-id", "contentId");
  }
}
