package org.layerlens.engine.io;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A canonical order of a network's nodes that depends only on its data flow, never on the order
 * its file lists them in: a depth-first walk from the input that follows, from each node, first
 * the consumers that feed both outputs (the trunk), then those feeding only the class scores,
 * then only the boxes, each kind of op in a fixed rank, and emits a node once all its inputs are
 * emitted. Two exports of one network (ours, which runs each source's heads before the next
 * stage, and pytorch-ssd's, which finishes a block first) give the same order, so their
 * convolutions can be paired one by one.
 */
final class DataFlowOrder {
    /** A node for the walk: tensor names in and out, its kind's rank and a tie-breaking key. */
    record Node(int index, List<String> inputs, List<String> outputs, int rank, String key) {
    }

    private DataFlowOrder() {
    }

    /**
     * @param inputs    the network's input tensors (the walk starts at their readers)
     * @param constants tensors that exist before any node runs (weights)
     * @param scores    output tensors carrying class scores; {@code boxes}: the box outputs
     */
    static List<Node> order(List<Node> nodes, Set<String> inputs, Set<String> constants, Set<String> scores,
                            Set<String> boxes) {
        Map<String, Node> producer = new HashMap<>();
        Map<String, List<Node>> consumers = new HashMap<>();
        for (Node n : nodes) {
            for (String o : n.outputs()) {
                producer.put(o, n);
            }
            for (String i : n.inputs()) {
                consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n);
            }
        }
        Map<Node, Integer> reach = reach(nodes, producer, scores, boxes);
        Comparator<Node> priority = Comparator.comparingInt((Node n) -> reachRank(reach.getOrDefault(n, 0)))
                .thenComparingInt(Node::rank).thenComparing(Node::key).thenComparingInt(Node::index);
        Set<String> done = new HashSet<>(constants);
        done.addAll(inputs);
        Set<Node> emitted = new HashSet<>();
        List<Node> out = new ArrayList<>();
        Deque<Node> stack = new ArrayDeque<>();
        List<Node> roots = new ArrayList<>();
        for (String in : inputs) {
            roots.addAll(consumers.getOrDefault(in, List.of()));
        }
        roots.sort(priority.reversed());
        roots.forEach(stack::push);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            if (emitted.contains(n) || !done.containsAll(n.inputs())) {
                continue;
            }
            emitted.add(n);
            out.add(n);
            done.addAll(n.outputs());
            List<Node> next = new ArrayList<>();
            for (String o : n.outputs()) {
                next.addAll(consumers.getOrDefault(o, List.of()));
            }
            next.sort(priority.reversed()); // pushed last = visited first
            for (Node c : next) {
                if (!emitted.contains(c)) {
                    stack.push(c);
                }
            }
        }
        return out;
    }

    /** Trunk (feeds both) first, then scores only, boxes only, neither. */
    private static int reachRank(int bits) {
        return switch (bits) {
            case 3 -> 0;
            case 1 -> 1;
            case 2 -> 2;
            default -> 3;
        };
    }

    /** Bit 1: the node feeds a score output; bit 2: a box output. */
    private static Map<Node, Integer> reach(List<Node> nodes, Map<String, Node> producer, Set<String> scores,
                                            Set<String> boxes) {
        Map<Node, Integer> bits = new HashMap<>();
        mark(scores, 1, producer, bits);
        mark(boxes, 2, producer, bits);
        return bits;
    }

    private static void mark(Set<String> outputs, int bit, Map<String, Node> producer, Map<Node, Integer> bits) {
        Deque<String> todo = new ArrayDeque<>(outputs);
        Set<Node> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Node p = producer.get(todo.pop());
            if (p == null || !seen.add(p)) {
                continue;
            }
            bits.merge(p, bit, (a, b) -> a | b);
            todo.addAll(p.inputs());
        }
    }
}
