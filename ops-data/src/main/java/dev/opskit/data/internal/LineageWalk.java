package dev.opskit.data.internal;

import static dev.opskit.data.internal.CatalogRecords.VERSIONS;
import static dev.opskit.data.internal.CatalogRecords.datasetKey;

import dev.opskit.Page;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.Lineage;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.RecordQuery.Op;
import dev.opskit.store.StoredRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Walks the lineage of a version: the versions it was made from, or those made from it, breadth first. */
final class LineageWalk {
  private final CatalogStores stores;
  private final VersionReads reads;

  LineageWalk(CatalogStores stores, VersionReads reads) {
    this.stores = stores;
    this.reads = reads;
  }

  Lineage upstream(String dataset, String idOrPrefix) {
    DatasetVersion root = reads.version(dataset, idOrPrefix);
    Map<String, DatasetVersion> seen = new LinkedHashMap<>();
    List<Lineage.Edge> edges = new ArrayList<>();
    ArrayDeque<DatasetVersion> todo = new ArrayDeque<>();
    seen.put(root.dataset() + "@" + root.id(), root);
    todo.add(root);
    while (!todo.isEmpty()) {
      DatasetVersion v = todo.poll();
      for (Map.Entry<String, String> in : v.inputs().entrySet()) {
        DatasetVersion parent = reads.find(in.getKey(), in.getValue());
        if (parent == null) {
          continue;
        }
        edges.add(new Lineage.Edge(parent, v, v.run(), v.step()));
        if (seen.putIfAbsent(parent.dataset() + "@" + parent.id(), parent) == null) {
          todo.add(parent);
        }
      }
    }
    return new Lineage(root, new ArrayList<>(seen.values()), edges);
  }

  Lineage downstream(String dataset, String idOrPrefix) {
    DatasetVersion root = reads.version(dataset, idOrPrefix);
    Map<String, DatasetVersion> seen = new LinkedHashMap<>();
    List<Lineage.Edge> edges = new ArrayList<>();
    ArrayDeque<DatasetVersion> todo = new ArrayDeque<>();
    seen.put(root.dataset() + "@" + root.id(), root);
    todo.add(root);
    while (!todo.isEmpty()) {
      DatasetVersion v = todo.poll();
      String attribute = "in:" + datasetKey(v.dataset());
      for (long offset = 0; ; offset += 1000) {
        long from = offset;
        Page<StoredRecord> page = stores.metadata().transact(tx -> tx.query(RecordQuery.in(VERSIONS)
            .where(attribute, Op.EQ, v.id()).limit(1000).offset(from)));
        for (StoredRecord r : page.items()) {
          DatasetVersion child = VersionDoc.parse(r.body()).version();
          if (!v.id().equals(child.inputs().get(v.dataset()))) {
            continue;
          }
          edges.add(new Lineage.Edge(v, child, child.run(), child.step()));
          if (seen.putIfAbsent(child.dataset() + "@" + child.id(), child) == null) {
            todo.add(child);
          }
        }
        if (!page.hasMore()) {
          break;
        }
      }
    }
    return new Lineage(root, new ArrayList<>(seen.values()), edges);
  }
}
