#!/bin/bash
# Single-node Ceph (1 mon, 1 bluestore OSD on a sparse file, no mgr) + radosgw on 127.0.0.1:7480
# Usage: bash ceph-up.sh DIR   (DIR is wiped)
set -euo pipefail
T0=$(date +%s%N)
t(){ local ms=$(( ($(date +%s%N) - T0) / 1000000 )); echo "[+$((ms/1000)).$(printf %03d $((ms%1000)))s] $*"; }
D=${1:?usage: ceph-up.sh DIR}
RGW_PORT=${RGW_PORT:-7480}
rm -rf "$D"; mkdir -p "$D"/{log,run,mon.a,osd.0,rgw.a}
FSID=$(cat /proc/sys/kernel/random/uuid)
cat > "$D/ceph.conf" <<CONF
[global]
fsid = $FSID
mon_host = [v2:127.0.0.1:3300,v1:127.0.0.1:6789]
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
public_network = 127.0.0.0/8
run_dir = $D/run
admin_socket = $D/run/\$name.asok
log_file = $D/log/\$name.log
pid_file = $D/run/\$name.pid
keyring = $D/keyring
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
osd_crush_chooseleaf_type = 0
mon_allow_pool_size_one = true
mon_allow_pool_delete = true
mon_warn_on_pool_no_redundancy = false
ms_mon_client_mode = crc
ms_client_mode = crc
[mon]
mon_data = $D/mon.\$id
[osd]
osd_data = $D/osd.\$id
osd_objectstore = ${OSD_STORE:-bluestore}
memstore_device_bytes = ${MEMSTORE_BYTES:-4294967296}
bluestore_block_create = true
bluestore_block_size = ${BLOCK_BYTES:-21474836480}
bluestore_block_db_create = false
bluestore_block_wal_create = false
bluestore_fsck_on_mount = false
osd_memory_target = 1073741824
[client.rgw.a]
rgw_frontends = beast endpoint=127.0.0.1:$RGW_PORT tcp_nodelay=1
rgw_data = $D/rgw.a
rgw_dns_name = localhost
CONF
C="-c $D/ceph.conf"
ceph-authtool --create-keyring "$D/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
monmaptool --create --fsid "$FSID" --addv a '[v2:127.0.0.1:3300,v1:127.0.0.1:6789]' "$D/monmap" >/dev/null
ceph-mon $C --mkfs -i a --monmap "$D/monmap" --keyring "$D/keyring"
ceph-mon $C -i a -f </dev/null >"$D/log/mon.out" 2>&1 & echo $! > "$D/mon.pid"
for i in $(seq 1 100); do ceph $C --connect-timeout 2 mon stat >/dev/null 2>&1 && break; sleep 0.2; done
ceph $C mon stat >/dev/null 2>&1 || { echo "ceph-mon did not start"; tail -20 "$D/log/mon.a.log"; exit 1; }
t "mon up"
UUID=$(cat /proc/sys/kernel/random/uuid)
ID=$(ceph $C osd new "$UUID")
ceph-osd $C -i "$ID" --mkfs --osd-uuid "$UUID" >"$D/log/osd-mkfs.out" 2>&1
t "osd mkfs done"
ceph $C osd crush add-bucket localhost host >/dev/null 2>&1 || true
ceph $C osd crush move localhost root=default >/dev/null 2>&1 || true
ceph $C osd crush add "osd.$ID" 1.0 host=localhost >/dev/null 2>&1
t "crush done"
ceph-osd $C -i "$ID" -f </dev/null >"$D/log/osd.out" 2>&1 & echo $! > "$D/osd.pid"
for i in $(seq 1 150); do ceph $C osd stat 2>/dev/null | grep -q '1 up' && break; sleep 0.2; done
ceph $C osd stat 2>/dev/null | grep -q "1 up" || { echo "ceph-osd did not come up"; tail -20 "$D/log/osd.$ID.log"; exit 1; }
t "osd up"
radosgw $C -n client.rgw.a -f </dev/null >"$D/log/rgw.out" 2>&1 & echo $! > "$D/rgw.pid"
for i in $(seq 1 300); do curl -s -o /dev/null "http://127.0.0.1:$RGW_PORT/" && break; sleep 0.2; done
curl -sf -o /dev/null "http://127.0.0.1:$RGW_PORT/" || { echo "radosgw did not come up"; tail -20 "$D/log/client.rgw.a.log"; exit 1; }
t "rgw up"
radosgw-admin $C user create --uid=ankagit --display-name=ankagit --access-key="${S3_ACCESS_KEY:-ankagitkey}" --secret="${S3_SECRET_KEY:-ankagitsecret}" >/dev/null
t "S3 endpoint http://127.0.0.1:$RGW_PORT  access=${S3_ACCESS_KEY:-ankagitkey} secret=${S3_SECRET_KEY:-ankagitsecret}"
