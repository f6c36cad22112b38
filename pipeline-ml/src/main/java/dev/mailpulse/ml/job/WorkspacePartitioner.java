package dev.mailpulse.ml.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import dev.mailpulse.storage.workspace.Workspaces;

/** One partition per workspace the request names (every one, a zone's, or the one), named {@code workspace:NAME}. */
final class WorkspacePartitioner implements Partitioner {

    static final String WORKSPACE_NAME = "workspace_name";

    private final Workspaces workspaces;
    private final MlTrain.Request request;

    WorkspacePartitioner(Workspaces workspaces, MlTrain.Request request) {
        this.workspaces = workspaces;
        this.request = request;
    }

    @Override
    public Map<String, ExecutionContext> partition(int gridSize) {
        if (request.workspace().isPresent() && workspaces.find(request.workspace().get()).isEmpty()) {
            throw new IllegalArgumentException("no workspace named " + request.workspace().get());
        }
        List<Workspaces.Workspace> named = workspaces.list().stream().filter(request::includes).toList();
        Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
        for (Workspaces.Workspace workspace : named) {
            ExecutionContext context = new ExecutionContext();
            context.putString(WORKSPACE_NAME, workspace.name());
            partitions.put(workspace.name(), context);
        }
        return partitions;
    }
}
