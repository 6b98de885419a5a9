// A tree whose nodes carry their own mutex. total() recurses down and locks
// each node on the way (lock_guard in the recursive frame); bubble_up() locks
// a leaf and then walks up to its parents. The walker going down holds the
// root and a branch and waits for the leaf; the one going up holds the leaf
// and waits for the branch.
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>
#include "truth.h"

struct TreeNode {
    std::mutex mu;
    int value = 1;
    TreeNode* parent = nullptr;
    std::vector<std::unique_ptr<TreeNode>> kids;

    TreeNode* add()
    {
        kids.push_back(std::make_unique<TreeNode>());
        kids.back()->parent = this;
        return kids.back().get();
    }
};

static TreeNode* contended; // the leaf bubble_up holds
static std::atomic<bool> leaf_locked{false}, go_up{false};

static int total(TreeNode& n)
{
    TRUTH_WAIT_IF(&n == contended, &n.mu, "write");
    std::lock_guard<std::mutex> g(n.mu);
    TRUTH_HOLD(&n.mu, "write");
    int sum = n.value;
    for (auto& k : n.kids)
        sum += total(*k);
    return sum;
}

static void bubble_up(TreeNode& leaf, int delta)
{
    std::unique_lock<std::mutex> self(leaf.mu);
    TRUTH_HOLD(&leaf.mu, "write");
    leaf.value += delta;
    leaf_locked = true;
    while (!go_up)
        usleep(1000);
    for (TreeNode* p = leaf.parent; p; p = p->parent) {
        TRUTH_WAIT_IF(p == leaf.parent, &p->mu, "write");
        std::lock_guard<std::mutex> g(p->mu);
        p->value += delta;
    }
}

int main()
{
    TRUTH_IDIOM("C++ recursion: total() locks nodes top-down in its recursive frame, bubble_up() locks leaf then parents");
    TreeNode root;
    TreeNode* branch = root.add();
    root.add();
    contended = branch->add();
    TRUTH_LOCK(&root.mu, "root.mu", "mutex");
    TRUTH_LOCK(&branch->mu, "root.kids[0].mu", "mutex");
    TRUTH_LOCK(&root.kids[1]->mu, "root.kids[1].mu", "mutex");
    TRUTH_LOCK(&contended->mu, "root.kids[0].kids[0].mu", "mutex");
    std::atomic<long> up{0}, down{0};
    std::thread climber([&] { up = truth_tid(); bubble_up(*contended, 5); });
    while (!leaf_locked)
        usleep(1000);
    std::thread summer([&] { down = truth_tid(); total(root); });
    usleep(300 * 1000); // total holds root and branch, waits for the leaf
    go_up = true;
    while (!down)
        usleep(1000);
    TRUTH_CYCLE2(down.load(), up.load());
    TRUTH_DEADLOCK(1);
    truth_ready();
    TRUTH_BEHIND("std::thread::join of the deadlocked climber");
    climber.join();
}
