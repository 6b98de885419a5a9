/**
 * One thread ("waiter") calls wait() on a Mailbox monitor that nobody ever
 * notifies. No deadlock: the waiter has released the monitor and waits forever.
 * Main sleeps forever. Prints nothing.
 */
public class LostNotify {
    static final class Mailbox {
        boolean hasMail;
    }

    static final Mailbox MAILBOX = new Mailbox();

    static void receive() {
        synchronized (MAILBOX) {
            while (!MAILBOX.hasMail) {
                try {
                    MAILBOX.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Thread waiter = new Thread(LostNotify::receive, "waiter");
        waiter.start();
        while (true) {
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
