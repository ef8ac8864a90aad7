#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for the tests and for trying the job-array scripts:
#   bash scripts/slurm-local.sh start   # munged, slurmctld, slurmd; prints `export SLURM_CONF=…`
#   bash scripts/slurm-local.sh stop    # stops what start started
#   bash scripts/slurm-local.sh env     # prints `export SLURM_CONF=…`
#   bash scripts/slurm-local.sh status  # exit 0 when the cluster answers
# Needs root and Debian's munge, slurmctld, slurmd and slurm-client packages (.ci/run installs them).
# Its state, spool, logs and slurm.conf live in $KN_SLURM_DIR (default /tmp/kn-slurm); clients find the
# cluster through SLURM_CONF. Starting a cluster that already answers does nothing.
set -euo pipefail

dir=${KN_SLURM_DIR:-/tmp/kn-slurm}
conf=$dir/slurm.conf
host=$(hostname -s)
export SLURM_CONF=$conf

up() { [[ -f $conf ]] && timeout 5 sinfo -h -n "$host" -o '%t' 2>/dev/null | grep -qE '^(idle|mix|alloc)'; }

start() {
  if up; then echo "export SLURM_CONF=$conf"; return; fi
  mkdir -p "$dir/state" "$dir/spool"
  # munge: a random key (kept if there is one), readable by munge alone.
  if [[ ! -s /etc/munge/munge.key ]]; then
    mkdir -p /etc/munge
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  fi
  chown munge:munge /etc/munge/munge.key
  chmod 400 /etc/munge/munge.key
  if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
    mkdir -p /run/munge /var/log/munge /var/lib/munge
    chown munge:munge /run/munge /var/log/munge /var/lib/munge
    runuser -u munge -- /usr/sbin/munged
    touch "$dir/munged.ours"
    for _ in $(seq 50); do munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  cat >"$conf" <<CONF
ClusterName=kn-local
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
JobRequeue=1
MinJobAge=600
SchedulerParameters=nohold_on_prolog_fail,sched_interval=2
AuthInfo=cred_expire=10
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  slurmctld -c   # -c: a fresh state (no jobs of an earlier run)
  slurmd
  for _ in $(seq 100); do up && break; sleep 0.2; done
  if ! up; then
    scontrol update nodename="$host" state=resume 2>/dev/null || true
    sleep 1
  fi
  if ! up; then
    echo "slurm-local: the node did not come up; logs:" >&2
    tail -n 20 "$dir/slurmctld.log" "$dir/slurmd.log" >&2 || true
    exit 1
  fi
  echo "export SLURM_CONF=$conf"
}

stop() {
  for d in slurmd slurmctld; do
    if [[ -f $dir/$d.pid ]]; then
      pid=$(cat "$dir/$d.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      rm -f "$dir/$d.pid"
    fi
  done
  if [[ -f $dir/munged.ours && -f /run/munge/munged.pid ]]; then
    kill "$(cat /run/munge/munged.pid)" 2>/dev/null || true
    rm -f "$dir/munged.ours"
  fi
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  env) echo "export SLURM_CONF=$conf" ;;
  status) up ;;
  *) echo "usage: $0 start|stop|env|status" >&2; exit 1 ;;
esac
