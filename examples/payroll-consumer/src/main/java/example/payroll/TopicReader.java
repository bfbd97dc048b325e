package example.payroll;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads whole topics from their beginning to the end they had when it started, values decoded by
 * Apicurio's Avro deserializer with schemas resolved from the registry. Partitions are assigned,
 * not subscribed: no consumer group, nothing committed, so every run reads the same records.
 */
final class TopicReader implements AutoCloseable {
  private final KafkaConsumer<String, GenericRecord> consumer;

  TopicReader(Settings s) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, s.brokers());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, "io.apicurio.registry.serde.avro.AvroKafkaDeserializer");
    p.putAll(RegistrySettings.deserializer(s.registryApiUrl()));
    consumer = new KafkaConsumer<>(p);
  }

  void readAll(String topic, Consumer<ConsumerRecord<String, GenericRecord>> each) {
    List<TopicPartition> parts = new ArrayList<>();
    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
    if (infos == null || infos.isEmpty()) throw new IllegalStateException("topic " + topic + " does not exist");
    for (PartitionInfo i : infos) parts.add(new TopicPartition(topic, i.partition()));
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
    Map<TopicPartition, Long> end = consumer.endOffsets(parts, Duration.ofSeconds(30));
    while (!reached(end)) {
      for (ConsumerRecord<String, GenericRecord> r : consumer.poll(Duration.ofMillis(500))) {
        if (r.value() != null) each.accept(r); // a null value is a tombstone of the compacted topic
      }
    }
  }

  private boolean reached(Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey(), Duration.ofSeconds(30)) < e.getValue()) return false;
    }
    return true;
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
