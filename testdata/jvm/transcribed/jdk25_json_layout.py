# Emulates jdk.internal.vm.ThreadDumper.JsonWriter (JDK 25) to lay out a transcribed dump.
import sys
out=[]
class W:
    def __init__(s): s.depth=-1; s.indent=0; s.has=[False]*10
    def p(s,t): out.append(t)
    def start(s,name,arr):
        if s.depth>=0:
            if s.has[s.depth]: s.p(",\n")
            else: s.has[s.depth]=True
        s.p(" "*s.indent)
        if name is not None: s.p('"%s": '%name)
        s.p("[\n" if arr else "{\n")
        s.indent+=2; s.depth+=1; s.has[s.depth]=False
    def end(s,arr):
        if s.has[s.depth]: s.p("\n"); s.has[s.depth]=False
        s.depth-=1; s.indent-=2
        s.p(" "*s.indent); s.p("]" if arr else "}")
    def prop(s,name,obj):
        if s.has[s.depth]: s.p(",\n")
        else: s.has[s.depth]=True
        s.p(" "*s.indent)
        if name is not None: s.p('"%s": '%name)
        s.p('"%s"'%esc(obj) if obj is not None else "null")
def esc(v): return str(v).replace("\\","\\\\").replace('"','\\"').replace("/","\\/")
w=W()
w.start(None,False)  # wrap
w.start("threadDump",False)
w.prop("processId","9073")
w.prop("time","2025-11-18T09:41:27.553918204Z")
w.prop("runtimeVersion","25.0.1+8-LTS")
w.start("threadContainers",True)
w.start(None,False)
w.prop("container","<root>"); w.prop("parent",None); w.prop("owner",None)
w.start("threads",True)
threads=[
 ("1","main","WAITING",None,None,"java.lang.Thread@4e50df2e",[
  "java.base/java.lang.Object.wait0(Native Method)","java.base/java.lang.Object.wait(Object.java:366)",
  "java.base/java.lang.Thread.join(Thread.java:2078)","java.base/java.lang.Thread.join(Thread.java:2154)",
  "MonitorCycle.main(MonitorCycle.java:49)"],[]),
 ("18","worker-a","BLOCKED",None,"MonitorCycle$Ledger@1d81eb93",None,[
  "MonitorCycle.transferAtoB(MonitorCycle.java:30)","java.base/java.lang.Thread.runWith(Thread.java:1596)",
  "java.base/java.lang.Thread.run(Thread.java:1583)"],[(0,["MonitorCycle$Inventory@7291c18f"])]),
 ("19","worker-b","BLOCKED",None,"MonitorCycle$Inventory@7291c18f",None,[
  "MonitorCycle.transferBtoA(MonitorCycle.java:39)","java.base/java.lang.Thread.runWith(Thread.java:1596)",
  "java.base/java.lang.Thread.run(Thread.java:1583)"],[(0,["MonitorCycle$Ledger@1d81eb93"])]),
]
for tid,name,state,pb,blocked,waiting,stack,owned in threads:
    w.start(None,False)
    w.prop("tid",tid); w.prop("time","2025-11-18T09:41:27.554101771Z"); w.prop("name",name); w.prop("state",state)
    if pb: w.prop("parkBlocker",pb)
    if blocked: w.prop("blockedOn",blocked)
    if waiting: w.prop("waitingOn",waiting)
    w.start("stack",True)
    for f in stack: w.prop(None,f)
    w.end(True)
    if owned:
        w.start("monitorsOwned",True)
        for d,locks in owned:
            w.start(None,False); w.prop("depth",d); w.start("locks",True)
            for l in locks: w.prop(None,l)
            w.end(True); w.end(False)
        w.end(True)
    w.end(False)
w.end(True)
w.prop("threadCount","3")
w.end(False)
w.end(True)
w.end(False)  # threadDump
w.end(False)  # close
out.append("\n")
sys.stdout.write("".join(out))
