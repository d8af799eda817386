package io.chatops.agent.metrics;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Asks a filesystem how full it is (statvfs). May block forever on a dead network mount. */
interface SpaceProbe {
    Space probe(Path mountPoint) throws IOException;

    /** Sizes in bytes: {@code free} is what unprivileged users may still write, as {@code df} shows. */
    record Space(long totalBytes, long unallocatedBytes, long freeBytes) {
    }

    /**
     * statvfs through the JDK's {@link FileStore}. Stores are kept per mount point because looking
     * one up scans the mount table, while asking a kept store for its space is one statvfs call.
     */
    static SpaceProbe fileStores() {
        Map<Path, FileStore> stores = new ConcurrentHashMap<>();
        return mountPoint -> {
            FileStore store = stores.get(mountPoint);
            if (store == null) {
                store = Files.getFileStore(mountPoint);
                stores.put(mountPoint, store);
            }
            return new Space(store.getTotalSpace(), store.getUnallocatedSpace(), store.getUsableSpace());
        };
    }
}
