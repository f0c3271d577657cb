// SPDX-License-Identifier: GPL-2.0
/*
 * Binary interface of <linux/mshv.h> and of the hypervisor structures a VMM
 * reads (messages, intercepts, the register page), checked against literal
 * values recorded from upstream Linux.  The literals are written out by
 * hand on purpose: computing them with the same _IOW()/sizeof() would not
 * catch a layout change.  Needs no /dev/mshv.
 */
#include <stddef.h>

#include "kselftest_harness.h"
#include "mshv_util.h"

#define EXPECT_SIZE(type, size)	EXPECT_EQ((size_t)(size), sizeof(type))
#define EXPECT_OFF(type, field, off) \
	EXPECT_EQ((size_t)(off), offsetof(type, field))

TEST(ioctl_numbers_dev_and_partition)
{
	EXPECT_EQ(0xB8, MSHV_IOCTL);
	EXPECT_EQ(0x4010B800UL, MSHV_CREATE_PARTITION);
	EXPECT_EQ(0x0000B800UL, MSHV_INITIALIZE_PARTITION);
	EXPECT_EQ(0x4004B801UL, MSHV_CREATE_VP);
	EXPECT_EQ(0x4020B802UL, MSHV_SET_GUEST_MEMORY);
	EXPECT_EQ(0x4010B803UL, MSHV_IRQFD);
	EXPECT_EQ(0x4020B804UL, MSHV_IOEVENTFD);
	EXPECT_EQ(0x4008B805UL, MSHV_SET_MSI_ROUTING);
	EXPECT_EQ(0xC020B806UL, MSHV_GET_GPAP_ACCESS_BITMAP);
	EXPECT_EQ(0xC020B807UL, MSHV_ROOT_HVCALL);
}

TEST(ioctl_numbers_vp)
{
	EXPECT_EQ(0x8100B800UL, MSHV_RUN_VP);
	EXPECT_EQ(0xC010B801UL, MSHV_GET_VP_STATE);
	EXPECT_EQ(0xC010B802UL, MSHV_SET_VP_STATE);
}

TEST(ioctl_numbers_vtl)
{
	EXPECT_EQ(0x4004B800UL, MSHV_CHECK_EXTENSION);
	EXPECT_EQ(0x8001B81DUL, MSHV_CREATE_VTL);
	EXPECT_EQ(0x4010B821UL, MSHV_ADD_VTL0_MEMORY);
	EXPECT_EQ(0x4008B825UL, MSHV_SET_POLL_FILE);
	EXPECT_EQ(0x0000B827UL, MSHV_RETURN_TO_LOWER_VTL);
	EXPECT_EQ(0xC010B805UL, MSHV_GET_VP_REGISTERS);
	EXPECT_EQ(0x4010B806UL, MSHV_SET_VP_REGISTERS);
	EXPECT_EQ(0x4008B822UL, MSHV_SINT_SIGNAL_EVENT);
	EXPECT_EQ(0x4018B823UL, MSHV_SINT_POST_MESSAGE);
	EXPECT_EQ(0x4008B824UL, MSHV_SINT_SET_EVENTFD);
	EXPECT_EQ(0x4008B825UL, MSHV_SINT_PAUSE_MESSAGE_STREAM);
	EXPECT_EQ(0x4010B81EUL, MSHV_HVCALL_SETUP);
	EXPECT_EQ(0xC030B81FUL, MSHV_HVCALL);
}

TEST(constants)
{
	EXPECT_EQ(0, MSHV_PT_BIT_LAPIC);
	EXPECT_EQ(1, MSHV_PT_BIT_X2APIC);
	EXPECT_EQ(2, MSHV_PT_BIT_GPA_SUPER_PAGES);
	EXPECT_EQ(3, MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES);
	EXPECT_EQ(4, MSHV_PT_BIT_NESTED_VIRTUALIZATION);
	EXPECT_EQ(5, MSHV_PT_BIT_SMT_ENABLED_GUEST);
	EXPECT_EQ(0x3f, MSHV_PT_FLAGS_MASK);
	EXPECT_EQ(0, MSHV_PT_ISOLATION_NONE);
	EXPECT_EQ(1, MSHV_PT_ISOLATION_COUNT);
	EXPECT_EQ(2, MSHV_NUM_CPU_FEATURES_BANKS);
	EXPECT_EQ(0, MSHV_SET_MEM_BIT_WRITABLE);
	EXPECT_EQ(1, MSHV_SET_MEM_BIT_EXECUTABLE);
	EXPECT_EQ(2, MSHV_SET_MEM_BIT_UNMAP);
	EXPECT_EQ(7, MSHV_SET_MEM_FLAGS_MASK);
	EXPECT_EQ(0x1000, MSHV_HV_PAGE_SIZE);
	EXPECT_EQ(0, MSHV_IRQFD_BIT_DEASSIGN);
	EXPECT_EQ(1, MSHV_IRQFD_BIT_RESAMPLE);
	EXPECT_EQ(3, MSHV_IRQFD_FLAGS_MASK);
	EXPECT_EQ(0, MSHV_IOEVENTFD_BIT_DATAMATCH);
	EXPECT_EQ(1, MSHV_IOEVENTFD_BIT_PIO);
	EXPECT_EQ(2, MSHV_IOEVENTFD_BIT_DEASSIGN);
	EXPECT_EQ(7, MSHV_IOEVENTFD_FLAGS_MASK);
	EXPECT_EQ(0, MSHV_GPAP_ACCESS_TYPE_ACCESSED);
	EXPECT_EQ(1, MSHV_GPAP_ACCESS_TYPE_DIRTY);
	EXPECT_EQ(0, MSHV_GPAP_ACCESS_OP_NOOP);
	EXPECT_EQ(1, MSHV_GPAP_ACCESS_OP_CLEAR);
	EXPECT_EQ(2, MSHV_GPAP_ACCESS_OP_SET);
	EXPECT_EQ(256, MSHV_RUN_VP_BUF_SZ);
	EXPECT_EQ(0, MSHV_VP_MMAP_OFFSET_REGISTERS);
	EXPECT_EQ(1, MSHV_VP_MMAP_OFFSET_INTERCEPT_MESSAGE);
	EXPECT_EQ(2, MSHV_VP_MMAP_OFFSET_GHCB);
	EXPECT_EQ(3, MSHV_VP_MMAP_OFFSET_COUNT);
	EXPECT_EQ(0, MSHV_VP_STATE_LAPIC);
	EXPECT_EQ(1, MSHV_VP_STATE_XSAVE);
	EXPECT_EQ(2, MSHV_VP_STATE_SIMP);
	EXPECT_EQ(3, MSHV_VP_STATE_SIEFP);
	EXPECT_EQ(4, MSHV_VP_STATE_SYNTHETIC_TIMERS);
	EXPECT_EQ(5, MSHV_VP_STATE_COUNT);
}

TEST(create_partition_layout)
{
	EXPECT_SIZE(struct mshv_create_partition, 16);
	EXPECT_OFF(struct mshv_create_partition, pt_flags, 0);
	EXPECT_OFF(struct mshv_create_partition, pt_isolation, 8);

	EXPECT_SIZE(struct mshv_create_partition_v2, 64);
	EXPECT_OFF(struct mshv_create_partition_v2, pt_flags, 0);
	EXPECT_OFF(struct mshv_create_partition_v2, pt_isolation, 8);
	EXPECT_OFF(struct mshv_create_partition_v2, pt_num_cpu_fbanks, 16);
	EXPECT_OFF(struct mshv_create_partition_v2, pt_rsvd, 18);
	EXPECT_OFF(struct mshv_create_partition_v2, pt_cpu_fbanks, 24);
	EXPECT_OFF(struct mshv_create_partition_v2, pt_rsvd1, 40);
	EXPECT_OFF(struct mshv_create_partition_v2, pt_disabled_xsave, 56);
}

TEST(partition_fd_layouts)
{
	EXPECT_SIZE(struct mshv_create_vp, 4);

	EXPECT_SIZE(struct mshv_user_mem_region, 32);
	EXPECT_OFF(struct mshv_user_mem_region, size, 0);
	EXPECT_OFF(struct mshv_user_mem_region, guest_pfn, 8);
	EXPECT_OFF(struct mshv_user_mem_region, userspace_addr, 16);
	EXPECT_OFF(struct mshv_user_mem_region, flags, 24);
	EXPECT_OFF(struct mshv_user_mem_region, rsvd, 25);

	EXPECT_SIZE(struct mshv_user_irqfd, 16);
	EXPECT_OFF(struct mshv_user_irqfd, fd, 0);
	EXPECT_OFF(struct mshv_user_irqfd, resamplefd, 4);
	EXPECT_OFF(struct mshv_user_irqfd, gsi, 8);
	EXPECT_OFF(struct mshv_user_irqfd, flags, 12);

	EXPECT_SIZE(struct mshv_user_ioeventfd, 32);
	EXPECT_OFF(struct mshv_user_ioeventfd, datamatch, 0);
	EXPECT_OFF(struct mshv_user_ioeventfd, addr, 8);
	EXPECT_OFF(struct mshv_user_ioeventfd, len, 16);
	EXPECT_OFF(struct mshv_user_ioeventfd, fd, 20);
	EXPECT_OFF(struct mshv_user_ioeventfd, flags, 24);
	EXPECT_OFF(struct mshv_user_ioeventfd, rsvd, 28);

	EXPECT_SIZE(struct mshv_user_irq_entry, 16);
	EXPECT_OFF(struct mshv_user_irq_entry, gsi, 0);
	EXPECT_OFF(struct mshv_user_irq_entry, address_lo, 4);
	EXPECT_OFF(struct mshv_user_irq_entry, address_hi, 8);
	EXPECT_OFF(struct mshv_user_irq_entry, data, 12);
	EXPECT_SIZE(struct mshv_user_irq_table, 8);
	EXPECT_OFF(struct mshv_user_irq_table, nr, 0);
	EXPECT_OFF(struct mshv_user_irq_table, rsvd, 4);
	EXPECT_OFF(struct mshv_user_irq_table, entries, 8);

	EXPECT_SIZE(struct mshv_gpap_access_bitmap, 32);
	EXPECT_OFF(struct mshv_gpap_access_bitmap, access_type, 0);
	EXPECT_OFF(struct mshv_gpap_access_bitmap, access_op, 1);
	EXPECT_OFF(struct mshv_gpap_access_bitmap, rsvd, 2);
	EXPECT_OFF(struct mshv_gpap_access_bitmap, page_count, 8);
	EXPECT_OFF(struct mshv_gpap_access_bitmap, gpap_base, 16);
	EXPECT_OFF(struct mshv_gpap_access_bitmap, bitmap_ptr, 24);
}

TEST(root_hvcall_layout)
{
	EXPECT_SIZE(struct mshv_root_hvcall, 32);
	EXPECT_OFF(struct mshv_root_hvcall, code, 0);
	EXPECT_OFF(struct mshv_root_hvcall, reps, 2);
	EXPECT_OFF(struct mshv_root_hvcall, in_sz, 4);
	EXPECT_OFF(struct mshv_root_hvcall, out_sz, 6);
	EXPECT_OFF(struct mshv_root_hvcall, status, 8);
	EXPECT_OFF(struct mshv_root_hvcall, rsvd, 10);
	EXPECT_OFF(struct mshv_root_hvcall, in_ptr, 16);
	EXPECT_OFF(struct mshv_root_hvcall, out_ptr, 24);
}

TEST(vp_fd_layouts)
{
	EXPECT_SIZE(struct mshv_run_vp, 256);
	EXPECT_OFF(struct mshv_run_vp, msg_buf, 0);

	EXPECT_SIZE(struct mshv_get_set_vp_state, 16);
	EXPECT_OFF(struct mshv_get_set_vp_state, type, 0);
	EXPECT_OFF(struct mshv_get_set_vp_state, rsvd, 1);
	EXPECT_OFF(struct mshv_get_set_vp_state, buf_sz, 4);
	EXPECT_OFF(struct mshv_get_set_vp_state, buf_ptr, 8);
}

TEST(vtl_layouts)
{
	EXPECT_SIZE(struct mshv_vp_registers, 16);
	EXPECT_OFF(struct mshv_vp_registers, regs_ptr, 8);
	EXPECT_SIZE(struct mshv_vtl_set_eventfd, 8);
	EXPECT_SIZE(struct mshv_vtl_signal_event, 8);
	EXPECT_SIZE(struct mshv_vtl_sint_post_msg, 24);
	EXPECT_OFF(struct mshv_vtl_sint_post_msg, connection_id, 8);
	EXPECT_OFF(struct mshv_vtl_sint_post_msg, payload_size, 12);
	EXPECT_OFF(struct mshv_vtl_sint_post_msg, payload_ptr, 16);
	EXPECT_SIZE(struct mshv_vtl_ram_disposition, 16);
	EXPECT_SIZE(struct mshv_vtl_set_poll_file, 8);
	EXPECT_SIZE(struct mshv_vtl_hvcall_setup, 16);
	EXPECT_SIZE(struct mshv_vtl_hvcall, 48);
	EXPECT_OFF(struct mshv_vtl_hvcall, status, 24);
	EXPECT_OFF(struct mshv_vtl_hvcall, output_ptr, 40);
	EXPECT_SIZE(struct mshv_sint_mask, 8);
	EXPECT_EQ(256, MSHV_MAX_RUN_MSG_SIZE);
}

TEST(hv_message_layout)
{
	EXPECT_SIZE(struct hv_message, 256);
	EXPECT_SIZE(struct hv_message_header, 16);
	EXPECT_OFF(struct hv_message_header, message_type, 0);
	EXPECT_OFF(struct hv_message_header, payload_size, 4);
	EXPECT_OFF(struct hv_message_header, message_flags, 5);
	EXPECT_OFF(struct hv_message_header, sender, 8);
	EXPECT_OFF(struct hv_message, u, 16);
	EXPECT_EQ(0x80000000U, HVMSG_UNMAPPED_GPA);
	EXPECT_EQ(0x80000021U, HVMSG_UNRECOVERABLE_EXCEPTION);
	EXPECT_EQ(0x80010000U, HVMSG_X64_IO_PORT_INTERCEPT);
	EXPECT_EQ(0x80010007U, HVMSG_X64_HALT);
}

TEST(io_port_intercept_layout)
{
	EXPECT_SIZE(struct hv_x64_intercept_message_header, 40);
	EXPECT_OFF(struct hv_x64_intercept_message_header, vp_index, 0);
	EXPECT_OFF(struct hv_x64_intercept_message_header,
		   instruction_length_cr8, 4);
	EXPECT_OFF(struct hv_x64_intercept_message_header,
		   intercept_access_type, 5);
	EXPECT_OFF(struct hv_x64_intercept_message_header, execution_state, 6);
	EXPECT_OFF(struct hv_x64_intercept_message_header, cs_segment, 8);
	EXPECT_OFF(struct hv_x64_intercept_message_header, rip, 24);
	EXPECT_OFF(struct hv_x64_intercept_message_header, rflags, 32);

	EXPECT_SIZE(struct hv_x64_io_port_intercept_message, 128);
	EXPECT_OFF(struct hv_x64_io_port_intercept_message, port_number, 40);
	EXPECT_OFF(struct hv_x64_io_port_intercept_message, access_info, 42);
	EXPECT_OFF(struct hv_x64_io_port_intercept_message,
		   instruction_byte_count, 43);
	EXPECT_OFF(struct hv_x64_io_port_intercept_message, rax, 48);
	EXPECT_OFF(struct hv_x64_io_port_intercept_message,
		   instruction_bytes, 56);
	EXPECT_OFF(struct hv_x64_io_port_intercept_message, ds_segment, 72);
	EXPECT_OFF(struct hv_x64_io_port_intercept_message, es_segment, 88);
	EXPECT_OFF(struct hv_x64_io_port_intercept_message, rcx, 104);
	EXPECT_OFF(struct hv_x64_io_port_intercept_message, rsi, 112);
	EXPECT_OFF(struct hv_x64_io_port_intercept_message, rdi, 120);
}

TEST(register_page_layout)
{
	EXPECT_OFF(struct hv_vp_register_page, version, 0);
	EXPECT_OFF(struct hv_vp_register_page, isvalid, 2);
	EXPECT_OFF(struct hv_vp_register_page, dirty, 4);
	EXPECT_OFF(struct hv_vp_register_page, gp_registers, 8);
	EXPECT_OFF(struct hv_vp_register_page, rip, 136);
	EXPECT_OFF(struct hv_vp_register_page, rflags, 144);
	EXPECT_OFF(struct hv_vp_register_page, xmm_registers, 160);
	EXPECT_OFF(struct hv_vp_register_page, segment_registers, 256);
	EXPECT_OFF(struct hv_vp_register_page, cr0, 352);
	EXPECT_OFF(struct hv_vp_register_page, interrupt_vector_count, 688);
	EXPECT_OFF(struct hv_vp_register_page, interrupt_vectors, 689);
	EXPECT_EQ(1, HV_X64_REGISTER_CLASS_IP);
	EXPECT_EQ(1U, HV_VP_REGISTER_PAGE_VERSION_1);
}

TEST(register_assoc_layout)
{
	EXPECT_SIZE(struct hv_x64_segment_register, 16);
	EXPECT_SIZE(union hv_register_value, 16);
	EXPECT_SIZE(struct hv_register_assoc, 32);
	EXPECT_OFF(struct hv_register_assoc, value, 16);
	EXPECT_SIZE(struct hv_input_get_vp_registers, 16);
	EXPECT_OFF(struct hv_input_get_vp_registers, vp_index, 8);
	EXPECT_SIZE(struct hv_input_set_vp_registers, 16);
	EXPECT_EQ(0x50, HVCALL_GET_VP_REGISTERS);
	EXPECT_EQ(0x51, HVCALL_SET_VP_REGISTERS);
	EXPECT_EQ(0x00020010, HV_X64_REGISTER_RIP);
}

TEST_HARNESS_MAIN
